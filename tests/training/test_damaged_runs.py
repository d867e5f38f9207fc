"""Run folders that tolerate damage: run.json with a field of the wrong type, metrics lines
that are no events, hostile sizes and file kinds. One damaged run never hides the others:
listing and ``compare`` show it as ``damaged`` with the reason; every command that needs
it says why in one line."""

from __future__ import annotations

import contextlib
import json
import math
import os
import shutil
import signal
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from resnet_studio.training.events import EpochEnd, LayerStat, StepMetrics, event_from_dict
from resnet_studio.training.runs import RunFolder, RunFolderError, list_runs, read_run
from tests.cli_in_process import assert_one_line_error, cli

EPOCH = {
    "event": "EpochEnd",
    "epoch": 3,
    "iteration": 24,
    "train_loss": 1.5,
    "train_error": 0.5,
    "val_loss": 1.75,
    "val_error": 0.625,
    "lr": 0.1,
    "seconds": 1.0,
    "images_per_s": 100.0,
}


@pytest.fixture(scope="module")
def finished(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A finished run of the tiny network: 2 epochs of 64 images, a step logged each batch."""
    from resnet_studio.training.datasets import load_dataset
    from resnet_studio.training.launch import new_run
    from resnet_studio.training.recipe import Recipe
    from tests.training.conftest import tiny_network

    path = tmp_path_factory.mktemp("finished") / "run"
    data = load_dataset("synthetic", subset=64, val_size=64)
    recipe = Recipe(epochs=2, batch_size=32, threads=1, log_every=1)
    assert new_run(tiny_network(), data, recipe, path, name="tiny").run().status == "finished"
    return path


def copy_run(finished: Path, where: Path) -> Path:
    shutil.copytree(finished, where)
    return where


def change_info(path: Path, change: Callable[[dict], object]) -> None:
    """Rewrite run.json with ``change`` applied (its result replaces the whole, if not None)."""
    info = json.loads((path / "run.json").read_text())
    result = change(info)
    (path / "run.json").write_text(json.dumps(info if result is None else result))


@contextlib.contextmanager
def no_hang(seconds: int = 20) -> Iterator[None]:
    """Fail instead of waiting for ever (reading a pipe nobody writes to blocks)."""

    def hung(_signum: int, _frame: object) -> None:
        raise TimeoutError(f"still waiting after {seconds} s")

    previous = signal.signal(signal.SIGALRM, hung)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def metrics_line_count(path: Path) -> int:
    return len((path / "metrics.jsonl").read_bytes().splitlines())


def append_lines(path: Path, *lines: str | bytes) -> None:
    with open(path / "metrics.jsonl", "ab") as f:
        for line in lines:
            f.write((line.encode() if isinstance(line, str) else line) + b"\n")


# --- metrics lines ----------------------------------------------------------------------


def test_event_fields_are_type_checked() -> None:
    assert event_from_dict(EPOCH) == EpochEnd(3, 24, 1.5, 0.5, 1.75, 0.625, 0.1, 1.0, 100.0)
    for damaged in (
        3,
        [1, 2],
        "EpochEnd",
        None,
        {"event": ["EpochEnd"]},
        {**EPOCH, "epoch": "3"},
        {**EPOCH, "epoch": 3.0},  # an int field: no float, even a whole one
        {**EPOCH, "epoch": math.nan},
        {**EPOCH, "epoch": True},
        {**EPOCH, "epoch": -1},
        {**EPOCH, "iteration": 2**70},
        {**EPOCH, "train_loss": None},
        {**EPOCH, "lr": "0.1"},
        {**EPOCH, "val_error": [0.5]},
        {**EPOCH, "layer_stats": 5},
        {**EPOCH, "layer_stats": [{"path": 5}]},
        {**EPOCH, "layer_stats": [{"path": "fc", "grad_norm": "big"}]},
        {**EPOCH, "layer_stats": [[1]]},
        {k: v for k, v in EPOCH.items() if k != "val_loss"},
        {"event": "Failed", "reason": 7},
        {"event": "Finished", "epochs": 2, "iterations": 16, "final_val_error": 0.5,
         "best_val_error": 0.5, "seconds": 1.0, "test_images": 1.5},
    ):  # fmt: skip
        assert event_from_dict(damaged) is None, damaged
    # Floats may be NaN or infinite (a diverged run's loss); ints stay ints; None where allowed.
    diverged = event_from_dict({"event": "Diverged", "iteration": 7, "lr": 0.1, "loss": math.inf})
    assert diverged is not None and diverged.loss == math.inf
    stats = event_from_dict({**EPOCH, "layer_stats": [{"path": "fc", "grad_norm": 2}]})
    assert stats.layer_stats == (LayerStat("fc", 2.0, None),)
    assert isinstance(stats.layer_stats[0].grad_norm, float)
    assert event_from_dict({**EPOCH, "val_error": 1}).val_error == 1.0
    # A field a newer version added is no damage.
    assert event_from_dict({**EPOCH, "new_field": "x"}) == event_from_dict(EPOCH)


def test_damaged_metrics_lines_are_skipped_and_counted(finished: Path, tmp_path: Path) -> None:
    run = copy_run(finished, tmp_path / "run")
    before = read_run(run)
    first = metrics_line_count(run) + 1
    append_lines(
        run,
        "3",
        "[1, 2]",
        '"text"',
        "null",
        '{"event": "EpochEnd", "epoch": "x", "iteration": [], "train_loss": null}',
        json.dumps({**EPOCH, "epoch": math.nan}),  # NaN where an int is needed
        '{"event": "StepMetrics", "epoch": 2.5, "iteration": 1e400}',
        b"\xff\xfe not utf-8",
        "[" * 100_000 + "]" * 100_000,  # deeper than the parser recurses
        '{"event": "SomethingNewer", "x": 1}',  # a later version's event: no damage
        json.dumps(
            {"event": "StepMetrics", "epoch": 2.5, "iteration": 20, "loss": 1.0, "error": 0.5,
             "lr": 0.01, "images_per_s": 50.0}
        ),
    )  # fmt: skip
    after = read_run(run)
    assert after.epochs == before.epochs and after.status == "finished"
    assert after.steps[:-1] == before.steps and after.steps[-1].iteration == 20
    assert after.notes == [f"metrics.jsonl: 9 damaged lines skipped (the first is line {first})"]
    assert before.notes == []


def test_a_huge_metrics_line_is_skipped_without_being_held(finished: Path, tmp_path: Path):
    run = copy_run(finished, tmp_path / "run")
    before = read_run(run)
    append_lines(run, b'{"event": "StepMetrics", "epoch": ' + b"1" * (40 * 2**20) + b"}")
    append_lines(run, json.dumps({**EPOCH, "epoch": 3}))
    after = read_run(run)
    assert after.epochs == [*before.epochs, event_from_dict({**EPOCH, "epoch": 3})]
    assert after.notes and "1 damaged line skipped" in after.notes[0]


def test_a_huge_metrics_file_is_read_up_to_a_bound(finished: Path, tmp_path: Path) -> None:
    from resnet_studio.training import runs

    run = copy_run(finished, tmp_path / "run")
    with open(run / "metrics.jsonl", "ab") as f:  # sparse: 2 GiB of zeros cost no disk
        f.truncate((run / "metrics.jsonl").stat().st_size + 2 * 2**30)
    started = time.perf_counter()
    record = read_run(run)
    assert time.perf_counter() - started < 20
    assert [e.epoch for e in record.epochs] == [1, 2]
    limit = f"{runs.MAX_METRICS_BYTES // 2**20} MiB"
    assert any(f"only its first {limit} were read" in note for note in record.notes)


def test_metrics_that_is_no_regular_file_does_not_hang(finished: Path, tmp_path: Path) -> None:
    run = copy_run(finished, tmp_path / "run")
    (run / "metrics.jsonl").unlink()
    os.mkfifo(run / "metrics.jsonl")  # reading a pipe nobody writes would wait for ever
    with no_hang():
        record = read_run(run)
    assert record.epochs == [] and record.status == "finished"
    assert record.notes == ["metrics.jsonl: not a regular file (a device, pipe or socket)"]
    (run / "metrics.jsonl").unlink()
    (run / "metrics.jsonl").mkdir()
    assert "metrics.jsonl: a folder" in read_run(run).notes[0]


# --- run.json ---------------------------------------------------------------------------


def _pop(key: str) -> Callable[[dict], None]:
    return lambda info: info.pop(key) and None


def _set(key: str, value: object) -> Callable[[dict], None]:
    return lambda info: info.update({key: value})


def _set_in(part: str, key: str, value: object) -> Callable[[dict], None]:
    return lambda info: info[part].update({key: value})


DAMAGED_INFO = {
    "a list": (lambda info: [info], "run.json: must be a JSON object, got a list"),
    "a number": (lambda info: 7, "run.json: must be a JSON object, got 7"),
    "name a number": (_set("name", 7), "run.json: name must be text, got 7"),
    "no network": (_pop("network"), "run.json: no network"),
    "network text": (_set("network", "resnet"), "run.json: network must be an object, got text"),
    "network broken": (
        lambda info: info["network"].update(body="x"),
        "run.json: network.body: expected a list of layers",
    ),
    "no recipe": (_pop("recipe"), "run.json: no recipe"),
    "recipe text": (_set("recipe", "sgd"), "run.json: recipe must be an object, got text"),
    "recipe lr text": (_set_in("recipe", "lr", "0.1"), "run.json: recipe.lr must be a number"),
    "recipe lr too high": (
        _set_in("recipe", "lr", 100),
        "run.json: recipe.lr must be a number above 0 and at most 10, got 100",
    ),
    "recipe epochs a list": (
        _set_in("recipe", "epochs", [3]),
        "run.json: recipe.epochs must be a whole number, got a list",
    ),
    "recipe milestones": (
        _set_in("recipe", "milestones", 0.5),
        "run.json: recipe.milestones must be a list",
    ),
    "recipe seed huge": (
        _set_in("recipe", "seed", 2**70),
        "run.json: recipe.seed must be a whole number",
    ),
    "no dataset": (_pop("dataset"), "run.json: no dataset"),
    "dataset a list": (_set("dataset", [1]), "run.json: dataset must be an object, got a list"),
    "dataset name": (_set_in("dataset", "name", 5), "run.json: dataset.name must be text, got 5"),
    "dataset root": (_set_in("dataset", "root", []), "run.json: dataset.root must be text"),
    "dataset subset": (
        _set_in("dataset", "subset", "all"),
        "run.json: dataset.subset must be a whole number",
    ),
    "dataset mean": (
        _set_in("dataset", "mean", ["a"]),
        "run.json: dataset.mean[0] must be a number, got text",
    ),
    "class names": (
        _set_in("dataset", "class_names", [1, 2]),
        "run.json: dataset.class_names[0] must be text, got 1",
    ),
    "status a number": (_set("status", 3), "run.json: status must be text, got 3"),
    "group a list": (_set("group", ["a"]), "run.json: group must be text, got a list"),
    "reason an object": (_set("reason", {}), "run.json: reason must be text, got an object"),
    "device a number": (_set("device", 0), "run.json: device must be text, got 0"),
    "seed a float": (_set("seed", 1.5), "run.json: seed must be a whole number, got 1.5"),
    "seed true": (_set("seed", True), "run.json: seed must be a whole number, got true"),
    "test text": (_set("test", "x"), "run.json: test must be an object, got text"),
    "test error text": (
        lambda info: info["test"].update(error="low"),
        "run.json: test.error must be a number, got text",
    ),
    "test images": (
        lambda info: info["test"].update(images=None),
        "run.json: test.images must be a whole number, got null",
    ),
    "pid text": (_set("pid", "123"), "run.json: pid must be a process id"),
    "pid huge": (_set("pid", 2**70), "run.json: pid must be a process id"),
    "pid zero": (_set("pid", 0), "run.json: pid must be a process id"),
    "host a number": (_set("host", 1), "run.json: host must be text, got 1"),
}


@pytest.mark.parametrize("case", DAMAGED_INFO)
def test_a_damaged_field_is_named_in_one_line(finished: Path, tmp_path: Path, case: str):
    change, message = DAMAGED_INFO[case]
    run = copy_run(finished, tmp_path / "run")
    change_info(run, change)
    with pytest.raises(RunFolderError) as caught:
        read_run(run)
    text = str(caught.value)
    assert text.startswith(f"{run}: damaged: {message}"), text
    assert "\n" not in text
    record = read_run(run, damaged_ok=True)
    assert record.status == "damaged" and record.damaged == text.split(": damaged: ", 1)[1]
    assert record.epochs == [] and record.final is None


def test_run_json_that_is_no_regular_small_file(finished: Path, tmp_path: Path) -> None:
    from resnet_studio.reading import MAX_RUN_INFO_BYTES

    run = copy_run(finished, tmp_path / "run")
    (run / "run.json").unlink()
    os.mkfifo(run / "run.json")
    with no_hang(), pytest.raises(RunFolderError, match=r"run.json: unreadable \(not a regular"):
        read_run(run)
    (run / "run.json").unlink()
    (run / "run.json").mkdir()
    with pytest.raises(RunFolderError, match=r"damaged: run.json: unreadable \(a folder"):
        read_run(run)
    (run / "run.json").rmdir()
    with open(run / "run.json", "wb") as f:
        f.truncate(MAX_RUN_INFO_BYTES + 1)
    with pytest.raises(RunFolderError, match=r"damaged: run.json: unreadable \(.* bytes, more"):
        read_run(run)
    (run / "run.json").write_text("[" * 10_000 + "]" * 10_000)
    with pytest.raises(RunFolderError, match=r"damaged: run.json: unreadable \(nested more"):
        read_run(run)


# --- listing and comparing --------------------------------------------------------------


@pytest.fixture
def mixed_runs(finished: Path, tmp_path: Path) -> Path:
    """runs/a-good, runs/b-list (run.json a list), runs/c-recipe (recipe text) and
    runs/d-bare (a metrics line that is a bare number: readable, the line skipped)."""
    root = tmp_path / "runs"
    copy_run(finished, root / "a-good")
    change_info(copy_run(finished, root / "b-list"), lambda info: [info])
    change_info(copy_run(finished, root / "c-recipe"), _set("recipe", "sgd"))
    append_lines(copy_run(finished, root / "d-bare"), "3")
    return root


def test_list_runs_shows_damaged_runs_beside_the_good(mixed_runs: Path) -> None:
    runs = {r.path.name: r for r in list_runs(mixed_runs)}
    assert set(runs) == {"a-good", "b-list", "c-recipe", "d-bare"}
    assert runs["a-good"].status == runs["d-bare"].status == "finished"
    assert [e.epoch for e in runs["d-bare"].epochs] == [1, 2]
    assert runs["b-list"].status == "damaged" and runs["b-list"].name == "b-list"
    assert runs["b-list"].damaged == "run.json: must be a JSON object, got a list"
    assert runs["c-recipe"].name == "tiny"  # its name is readable
    assert runs["c-recipe"].damaged == "run.json: recipe must be an object, got text"


def test_compare_shows_a_damaged_run_as_a_row(capsys, mixed_runs: Path, tmp_path: Path) -> None:
    paths = [mixed_runs / name for name in ("a-good", "b-list", "c-recipe", "d-bare")]
    plot = tmp_path / "plot.png"
    code, out, err = cli(capsys, "compare", *paths, "-o", plot)
    assert code == 0 and err == "", err
    lines = out.splitlines()
    rows = [line.split() for line in lines[1:5]]  # in the order given
    assert [row[2] for row in rows] == ["finished", "damaged", "damaged", "finished"]
    assert rows[1][:4] == ["b-list", "-", "damaged", "-"]
    assert rows[2][:4] == ["tiny", "-", "damaged", "-"]  # its name is readable
    damaged = [line for line in lines if ": damaged: " in line]
    assert damaged == [
        f"{mixed_runs / 'b-list'}: damaged: run.json: must be a JSON object, got a list",
        f"{mixed_runs / 'c-recipe'}: damaged: run.json: recipe must be an object, got text",
    ]
    assert f"note: {mixed_runs / 'd-bare'}: metrics.jsonl: 1 damaged line skipped" in out
    assert lines[-1] == f"wrote {plot}" and plot.stat().st_size > 1000


def test_compare_of_damaged_runs_only(capsys, mixed_runs: Path, tmp_path: Path) -> None:
    plot = tmp_path / "plot.png"
    code, out, err = cli(capsys, "compare", mixed_runs / "b-list", "-o", plot)
    assert code == 1 and err == "" and "damaged" in out  # nothing could be compared
    assert not plot.exists()
    code, _out, err = cli(capsys, "compare", mixed_runs / "a-good", tmp_path / "nowhere")
    assert_one_line_error(code, err, "nowhere: not a run folder")


def test_commands_on_a_damaged_run_say_why_in_one_line(capsys, mixed_runs: Path, tmp_path):
    from PIL import Image

    bad = mixed_runs / "c-recipe"
    Image.new("RGB", (32, 32)).save(tmp_path / "picture.png")
    reason = "damaged: run.json: recipe must be an object, got text"
    for argv in (
        ("train", "--resume", bad, "--epochs", "3"),
        ("summary", bad),
        ("export", bad, "--format", "checkpoint", "-o", tmp_path / "out.pt"),
        ("evaluate", bad, "--split", "val"),
        ("predict", bad, tmp_path / "picture.png"),
    ):
        code, _out, err = cli(capsys, *argv)
        assert_one_line_error(code, err, reason)
    assert not (tmp_path / "out.pt").exists()


def test_weights_of_a_damaged_run_are_refused(mixed_runs: Path) -> None:
    from resnet_studio.training.run_weights import run_meta, run_weights

    for read in (run_weights, run_meta):
        with pytest.raises(RunFolderError, match="damaged: run.json: must be a JSON object"):
            read(mixed_runs / "b-list")


def test_a_checkpoint_that_is_no_training_checkpoint(finished: Path, tmp_path: Path) -> None:
    import torch

    run = copy_run(finished, tmp_path / "run")
    torch.save([1, 2, 3], run / "checkpoint.pt")
    with pytest.raises(RunFolderError, match="checkpoint.pt: not a training checkpoint"):
        RunFolder(run).read_checkpoint()
    torch.save({"model": {"w": "text"}}, run / "checkpoint.pt")
    with pytest.raises(RunFolderError, match="checkpoint.pt: not a training checkpoint"):
        RunFolder(run).read_checkpoint()
    (run / "checkpoint.pt").unlink()
    os.mkfifo(run / "checkpoint.pt")
    with no_hang(), pytest.raises(RunFolderError, match="checkpoint.pt: not a regular file"):
        RunFolder(run).read_checkpoint()


def test_a_killed_writers_half_line_is_noted_once_ended(finished: Path, tmp_path: Path):
    """A half line at the end (a writer killed, or still writing) is no damage; once the
    next writer has ended it, it is a damaged line like any other, and its events still
    read in order."""
    run = copy_run(finished, tmp_path / "run")
    with open(run / "metrics.jsonl", "a") as f:
        f.write('{"event": "StepMetrics", "epo')
    assert read_run(run).notes == []
    half = metrics_line_count(run)
    RunFolder(run).append_event(StepMetrics(2.5, 20, 1.0, 0.5, 0.01, 50.0))
    record = read_run(run)
    assert record.steps[-1].iteration == 20
    assert record.notes == [f"metrics.jsonl: 1 damaged line skipped (the first is line {half})"]
