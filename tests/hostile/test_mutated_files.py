"""Generated hostile input: valid files damaged at random, through every command that reads them.

Each case damages a copy of a valid project file, run folder or model file
(as JSON, as text or as bytes; see ``mutations.py``), runs one command on it
and checks the README's promises (``harness.check``): status 0, 1 or 2 with
one line for a mistake, no traceback, no hang, no file changed but the
command's own output.

CI runs a few hundred cases with a fixed seed; ``RESNET_STUDIO_LONG_TESTS=1``
runs thousands with fresh random ones (see the README's Safety section).
"""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from tests.hostile.harness import LONG, check, run, snapshot
from tests.hostile.mutations import mutated_bytes, mutated_json, mutated_text

SETTINGS = dict(
    deadline=None,
    derandomize=not LONG,  # CI: the same cases every time; long runs: new ones
    database=None,
    phases=[Phase.generate, Phase.shrink],  # no "explain" phase: it is slow and says little here
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
# Cases per test: CI, and the long mode (together over 10,000).
PROJECT_CASES = 4_000 if LONG else 150
RUN_CASES = 4_000 if LONG else 120
MODEL_CASES = 2_500 if LONG else 80


def _folder() -> Path:
    return Path(tempfile.mkdtemp(prefix="hostile-"))


@settings(max_examples=PROJECT_CASES, **SETTINGS)
@given(data=st.data())
def test_damaged_project_files(originals, data) -> None:
    doc = json.loads(originals.project.read_text())
    text = data.draw(mutated_json(doc), label="project")
    folder = _folder()
    try:
        project = folder / "damaged.json"
        project.write_text(text, encoding="utf-8", errors="surrogatepass")
        out = folder / "out.pt"
        command = data.draw(
            st.sampled_from(
                [
                    ("summary", project),
                    ("summary", project, "--json"),
                    ("export", project, "--format", "checkpoint", "-o", out),
                    ("export", project, "--format", "torchscript", "-o", out),
                ]
            ),
            label="command",
        )
        before = snapshot(folder)
        outcome = run(*command)
        check(outcome, before, snapshot(folder), allowed={str(out)})
    finally:
        shutil.rmtree(folder, ignore_errors=True)


RUN_FILES = ("run.json", "metrics.jsonl", "checkpoint.pt", "model.pt")


@settings(max_examples=RUN_CASES, **SETTINGS)
@given(data=st.data())
def test_damaged_run_folders(originals, data) -> None:
    folder = _folder()
    try:
        run_dir = folder / "run"
        shutil.copytree(originals.run, run_dir)
        target = run_dir / data.draw(st.sampled_from(RUN_FILES), label="file")
        if target.name == "run.json":
            damaged = data.draw(mutated_json(json.loads(target.read_text())), label="run.json")
            target.write_text(damaged, encoding="utf-8", errors="surrogatepass")
        elif target.name == "metrics.jsonl":
            target.write_text(data.draw(mutated_text(target.read_text())), errors="surrogatepass")
        else:
            target.write_bytes(data.draw(mutated_bytes(target.read_bytes()), label=target.name))
        out = folder / "out.pt"
        commands = [
            ("compare", run_dir),
            ("summary", run_dir),
            ("export", run_dir, "--format", "checkpoint", "-o", out),
        ]
        if data.draw(st.integers(0, 9), label="slow") == 0:  # these load data: now and then
            commands += [
                ("evaluate", run_dir, "--split", "val"),
                ("train", "--resume", run_dir, "--epochs", "3", "--threads", "1"),
            ]
        command = data.draw(st.sampled_from(commands), label="command")
        before = snapshot(folder)
        outcome = run(*command)
        # A resume that ran may write its run folder; nothing else may change.
        allowed = {str(out)}
        if command[0] == "train" and outcome.code in (0, 1):
            allowed |= set(snapshot(run_dir)) | set(before)
        check(outcome, before, snapshot(folder), allowed=allowed)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@settings(max_examples=MODEL_CASES, **SETTINGS)
@given(data=st.data())
def test_damaged_model_files(originals, data) -> None:
    sources = [originals.checkpoint, originals.torchscript]
    if originals.onnx is not None:
        sources.append(originals.onnx)
    source = data.draw(st.sampled_from(sources), label="kind")
    folder = _folder()
    try:
        model = folder / f"damaged{source.suffix}"
        model.write_bytes(data.draw(mutated_bytes(source.read_bytes()), label="bytes"))
        out = folder / "out.pt"
        command = data.draw(
            st.sampled_from(
                [
                    ("summary", model),
                    ("export", model, "--format", "checkpoint", "-o", out),
                    ("predict", model, originals.image),
                ]
            ),
            label="command",
        )
        before = snapshot(folder)
        outcome = run(*command)
        check(outcome, before, snapshot(folder), allowed={str(out)})
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@pytest.mark.parametrize("name", RUN_FILES)
def test_a_run_folder_missing_a_file(originals, tmp_path: Path, name: str) -> None:
    run_dir = tmp_path / "run"
    shutil.copytree(originals.run, run_dir)
    (run_dir / name).unlink()
    for command in (("compare", run_dir), ("summary", run_dir), ("export", run_dir, "--format",
                    "checkpoint", "-o", tmp_path / "out.pt")):  # fmt: skip
        before = snapshot(tmp_path)
        outcome = run(*command)
        check(outcome, before, snapshot(tmp_path), allowed={str(tmp_path / "out.pt")})
