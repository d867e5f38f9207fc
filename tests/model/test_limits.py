"""Limits on depth and size: what the spec allows builds and exports; what cannot fit is
refused in one line before anything is allocated.

- Depth: a network nested as deeply as :data:`MAX_NESTING` allows is built,
  analysed, exported in every format and read back; one level deeper is refused.
- Size: Repeats multiply (×1,000 three deep is a 500-byte file). The layers table
  folds repetitions past :data:`MAX_ROWS` rows, with exact totals, in bounded time;
  building refuses, with the numbers, a network that cannot fit in memory.
"""

from __future__ import annotations

import json
import re
import time
from pathlib import Path

import pytest
import torch

from resnet_studio.arch import inference
from resnet_studio.arch.inference import FOLDED, MAX_ROWS, infer
from resnet_studio.arch.presets import preset_network
from resnet_studio.arch.project import ProjectError, project_from_json, project_to_json
from resnet_studio.arch.spec import (
    MAX_NESTING,
    BatchNorm2d,
    Conv2d,
    Flatten,
    GlobalAvgPool,
    Linear,
    MaxPool2d,
    Network,
    Node,
    ReLU,
    Repeat,
    Residual,
    SpecError,
    path_parts,
)
from resnet_studio.model import resources
from resnet_studio.model.build import BuildError, build_model
from resnet_studio.model.export import export_model
from resnet_studio.model.load import load_model_file, read_network
from tests.cli_in_process import assert_one_line_error, cli

pytestmark = pytest.mark.filterwarnings("ignore:`torch.jit.:FutureWarning")


def _head() -> tuple[Node, ...]:
    return (GlobalAvgPool(name="pool"), Flatten(name="flat"), Linear(name="fc"))


def residual_chain(parts: int) -> Network:
    """Residuals one in another; the innermost changes channels, so its shortcut is a
    projection (``…b.downsample.0``: one module level more than its layers)."""
    node: Node = Residual(
        name="b", body=(Conv2d(name="conv", out_channels=8), BatchNorm2d(name="bn"))
    )
    for _ in range(parts - 2):
        node = Residual(name="b", body=(node,))
    return Network(input_shape=(4, 8, 8), classes=3, body=(node, *_head()))


def repeat_chain(parts: int) -> Network:
    """Repeats of two layers one in another: two path parts (``b.0``) per level."""
    node: Node = Residual(
        name="blk", body=(Conv2d(name="conv", out_channels=4), BatchNorm2d(name="bn"))
    )
    for _ in range((parts - 2) // 2):
        node = Repeat(name="b", count=1, body=(node, ReLU(name="relu")))
    return Network(input_shape=(4, 8, 8), classes=3, body=(node, *_head()))


def deepest_path(network: Network) -> str:
    rows = infer(network).rows
    return max((r.path for r in rows), key=lambda p: p.count("."))


@pytest.mark.parametrize("chain", [residual_chain, repeat_chain], ids=["residual", "repeat"])
def test_the_deepest_network_exports_in_every_format_and_one_more_level_is_refused(
    tmp_path: Path, chain
) -> None:
    network = chain(MAX_NESTING)
    assert path_parts(network.body) == MAX_NESTING  # the torch modules nest one more in
    assert deepest_path(network).count(".") + 1 in (MAX_NESTING, MAX_NESTING + 1)  # a projection
    assert infer(network).ok
    x = torch.rand(2, 4, 8, 8)
    with torch.no_grad():
        expected = build_model(network, seed=1).eval()(x)
    assert expected.shape == (2, 3)
    for fmt, name in [("checkpoint", "c.pt"), ("torchscript", "t.pt"), ("onnx", "o.onnx")]:
        if fmt == "onnx":
            pytest.importorskip("onnxscript")
        export_model(tmp_path / name, fmt, network)
        assert read_network(tmp_path / name) == network
        if fmt != "onnx":
            assert load_model_file(tmp_path / name).network == network
    assert torch.jit.load(str(tmp_path / "t.pt"))(x).shape == (2, 3)
    # The project file of it reads back; one level deeper does not, whichever way it is made.
    assert project_from_json(project_to_json(network)) == network
    deeper = Residual(name="outer", body=network.body[:1])
    with pytest.raises(SpecError, match="nested too deeply"):
        Network(input_shape=(4, 8, 8), classes=3, body=(deeper, *_head()))
    with pytest.raises(ProjectError, match="nested too deeply"):
        project_from_json(_wrapped(network))


def _wrapped(network: Network) -> str:
    """The project text of ``network`` with its first layer inside one more Residual."""
    doc = json.loads(project_to_json(network))
    body = doc["network"]["body"]
    body[0] = {"kind": "Residual", "name": "outer", "body": [body[0]]}
    return json.dumps(doc)


# --- size ------------------------------------------------------------------------------------


def repeats(*counts: int, channels: int = 8, shape=(3, 32, 32)) -> Network:
    """Repeats of a 3×3 conv nested as ``counts`` says (outermost first)."""
    node: Node = Conv2d(name="conv", out_channels=channels)
    for count in reversed(counts):
        node = Repeat(name="r", count=count, body=(node,))
    return Network(name="repeats", input_shape=shape, classes=10, body=(node, *_head()))


def test_a_thousand_cubed_repetitions_are_summarised_in_bounded_time_with_exact_totals() -> None:
    start = time.perf_counter()
    summary = infer(repeats(1000, 1000, 1000))
    assert time.perf_counter() - start < 5
    assert len(summary.rows) <= MAX_ROWS + 100
    convs = 10**9
    # The first conv sees 3 channels, every other one 8: (3·9·8) + (convs - 1)·(8·9·8).
    conv_params = 3 * 9 * 8 + (convs - 1) * 8 * 9 * 8
    assert summary.total_params == conv_params + 8 * 10 + 10
    assert summary.total_macs == conv_params * 32 * 32 + 8 * 10 + 10
    assert summary.depth == convs + 1
    assert summary.activations == convs * 8 * 32 * 32 + 8 + 8 + 10
    folded = [r for r in summary.rows if r.kind == FOLDED]
    assert folded and all(r.repeats > 1 and not r.is_container for r in folded)
    assert [p.path for p in summary.problems] == ["(network)"]  # over MAX_PARAMS


def test_folding_changes_the_rows_only_never_a_total() -> None:
    network = preset_network("cifar-resnet110")
    full = infer(network)
    for budget in (0, 10, 100, 300):
        folded = infer(network, max_rows=budget)
        assert len(folded.rows) < len(full.rows)
        assert folded.folded > 0
        for field in ("total_params", "total_macs", "depth", "modules", "activations"):
            assert getattr(folded, field) == getattr(full, field), field
        assert folded.output_shape == full.output_shape and folded.ok
        # What is listed is listed as in the full table; a fold covers the rest of its stage.
        paths = {r.path: r for r in full.rows}
        for row in folded.rows:
            if row.kind == FOLDED:
                stage, _, span = row.path.rpartition(".")
                first, _, last = span.partition("-")
                count = int(last or first) - int(first) + 1
                assert row.repeats == count
                assert row.params == sum(
                    paths[f"{stage}.{i}"].params for i in range(int(first), int(first) + count)
                )
            else:
                assert paths[row.path] == row


def test_repetitions_whose_shapes_keep_changing_still_fold() -> None:
    """A pool that shrinks the map by one each time: no two repetitions alike."""
    pool = MaxPool2d(name="pool", kernel=2, stride=1)
    stage = Repeat(name="r", count=1000, body=(Repeat(name="r", count=1000, body=(pool,)),))
    network = Network(input_shape=(1, 8192, 8192), classes=1, body=(stage,))
    summary = infer(network, max_rows=500)
    assert len(summary.rows) < 1_100
    assert summary.depth == 0 and summary.modules == 1 + 1000 + 1000 * 1000


def test_too_many_distinct_layers_is_a_problem_not_a_hang(monkeypatch) -> None:
    monkeypatch.setattr(inference, "MAX_EVALUATIONS", 500)
    pool = MaxPool2d(name="pool", kernel=2, stride=1)
    network = Network(
        input_shape=(1, 8192, 8192), classes=1, body=(Repeat(name="r", count=1000, body=(pool,)),)
    )
    summary = infer(network)
    assert summary.rows == () and not summary.ok
    assert "too large to work out: more than 500 layers" in str(summary.problems[0])


GiB = 2**30


def test_building_what_cannot_fit_is_refused_with_the_numbers(monkeypatch) -> None:
    monkeypatch.setattr(resources, "available_memory", lambda: 8 * GiB)
    network = repeats(1000, 1000, channels=8)  # a million convs: 64 GiB of activations
    with pytest.raises(BuildError) as info:
        build_model(network)
    message = str(info.value)
    assert message.startswith("repeats is too large to build here: 1,001,004 layers and ")
    assert "575,999,730 parameters" in message and "8.0 GiB of memory is available" in message
    assert "\n" not in message
    # What fits is built as before.
    monkeypatch.setattr(resources, "available_memory", lambda: 64 * 2**20)
    build_model(preset_network("cifar-resnet20"))
    with pytest.raises(BuildError, match="too large to build here"):
        build_model(preset_network("resnet18"))  # 197 MiB


@pytest.mark.parametrize("command", ["summary", "export", "train"])
def test_the_commands_on_a_500_byte_file_of_a_billion_layers(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch, command: str
) -> None:
    monkeypatch.setattr(resources, "available_memory", lambda: 8 * GiB)
    path = tmp_path / "huge.json"
    path.write_text(project_to_json(repeats(1000, 1000)), encoding="utf-8")
    assert path.stat().st_size < 2_000
    start = time.perf_counter()
    if command == "summary":
        code, out, err = cli(capsys, "summary", path)
        assert code == 0 and err == "", err
        assert len(out.splitlines()) < MAX_ROWS
        assert re.search(r"\n +r\.2-999 +Repeated ×998 +8×32×32 ", out)
        assert "total" in out and "575,999,730" in out
    elif command == "export":
        code, _, err = cli(
            capsys, "export", path, "--format", "torchscript", "-o", tmp_path / "h.pt"
        )
        assert_one_line_error(code, err, "huge.json", "too large to build here", "available")
        assert not (tmp_path / "h.pt").exists()
    else:
        code, _, err = cli(
            capsys, "train", path, "--epochs", "1", "--subset", "32", "--out", tmp_path / "run"
        )
        assert_one_line_error(code, err, "too large to build here", "available")
    assert time.perf_counter() - start < 30


def test_available_memory_is_linux_memavailable_within_a_containers_limit(tmp_path: Path):
    meminfo = tmp_path / "meminfo"
    meminfo.write_text("MemTotal:  16000000 kB\nMemFree: 100 kB\nMemAvailable:   8000000 kB\n")
    assert resources._meminfo_available(meminfo) == 8_000_000 * 1024
    assert resources._meminfo_available(tmp_path / "absent") is None
    cgroup = tmp_path / "cgroup"
    cgroup.mkdir()
    (cgroup / "memory.max").write_text("max\n")
    (cgroup / "memory.current").write_text("1000\n")
    assert resources._cgroup_room(cgroup) is None  # no limit
    (cgroup / "memory.max").write_text(f"{4 * GiB}\n")
    assert resources._cgroup_room(cgroup) == 4 * GiB - 1000
    (cgroup / "memory.stat").write_text("anon 600\ninactive_file 300\nactive_file 100\n")
    assert resources._cgroup_room(cgroup) == 4 * GiB - 700  # the idle page cache is room
    assert resources.available_memory() > 0  # this machine says
    assert resources.format_bytes(1536) == "1.5 KiB" and resources.format_bytes(5) == "5 bytes"
