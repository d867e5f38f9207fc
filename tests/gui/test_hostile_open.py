"""Opening files that multiply, nest or never end: the window stays responsive.

The designer analyses the network on every change, lays out the canvas and
fills the layers table, so a 500-byte project of a billion layers, a network
nested as deeply as the spec allows and a FIFO named like a project must each
open in bounded time, as a bounded view or a clear refusal.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest

from resnet_studio.arch.inference import FOLDED, MAX_ROWS
from resnet_studio.arch.project import project_to_json
from resnet_studio.arch.spec import (
    MAX_NESTING,
    BatchNorm2d,
    Conv2d,
    Flatten,
    GlobalAvgPool,
    Linear,
    Network,
    Node,
    Repeat,
    Residual,
)
from resnet_studio.gui.layers_table import KIND
from resnet_studio.gui.main_window import MainWindow


def _head() -> tuple[Node, ...]:
    return (GlobalAvgPool(name="pool"), Flatten(name="flat"), Linear(name="fc"))


def billion() -> Network:
    """A conv repeated ×1,000 in a Repeat ×1,000 in a Repeat ×1,000."""
    node: Node = Conv2d(name="conv", out_channels=8)
    for _ in range(3):
        node = Repeat(name="r", count=1000, body=(node,))
    return Network(name="billion", input_shape=(3, 32, 32), classes=10, body=(node, *_head()))


def nested(levels: int) -> Network:
    node: Node = Residual(name="b", body=(Conv2d(name="c", out_channels=4), BatchNorm2d(name="n")))
    for _ in range(levels - 2):
        node = Residual(name="b", body=(node,))
    return Network(name="deep", input_shape=(4, 8, 8), classes=3, body=(node, *_head()))


def test_a_billion_layers_open_as_a_bounded_table(window: MainWindow, tmp_path: Path) -> None:
    path = tmp_path / "billion.json"
    path.write_text(project_to_json(billion()), encoding="utf-8")
    assert path.stat().st_size < 2_000
    start = time.perf_counter()
    assert window.open_path(path)
    assert time.perf_counter() - start < 20
    summary = window.document.summary
    assert len(summary.rows) <= MAX_ROWS + 100
    assert summary.depth == 10**9 + 1  # counted, not listed
    model = window.layers.model
    folded = [i for i, row in enumerate(summary.rows) if row.kind == FOLDED]
    assert folded
    index = model.index_of_row(folded[-1], KIND)
    assert index.data() == "Repeated ×998"
    assert "998 more repetitions of r" in index.siblingAtColumn(0).data(3)  # tooltip
    assert "575,999,999,730" in window.totals_label.text()
    # An edit re-analyses it just as quickly.
    start = time.perf_counter()
    window.document.set_network(window.document.network.with_input(classes=5), "classes")
    assert time.perf_counter() - start < 10


@pytest.mark.filterwarnings("ignore:`torch.jit.:FutureWarning")
def test_the_deepest_network_opens_and_one_level_deeper_is_refused(
    qtbot, window: MainWindow, dialogs, tmp_path: Path
) -> None:
    path = tmp_path / "deep.json"
    path.write_text(project_to_json(nested(MAX_NESTING)), encoding="utf-8")
    assert window.open_path(path)
    assert window.document.summary.ok
    assert len(window.canvas.node_items()) == MAX_NESTING - 1 + 2 + 3  # every card laid out
    # Exported on the window's background thread, where deep tracing recurses too.
    exported = tmp_path / "deep.pt"
    window.export_model_to(exported, "torchscript")
    qtbot.waitUntil(
        lambda: window.statusBar().currentMessage().startswith("Exported"), timeout=120_000
    )
    assert exported.exists() and dialogs.of("warning") == []
    doc = json.loads(path.read_text(encoding="utf-8"))
    body = doc["network"]["body"]
    body[0] = {"kind": "Residual", "name": "outer", "body": [body[0]]}
    other = tmp_path / "deeper.json"
    other.write_text(json.dumps(doc), encoding="utf-8")
    assert not MainWindow().open_path(other)
    [(_, _, text)] = dialogs.of("warning")
    assert "nested too deeply" in text and str(other) in text


def test_a_fifo_named_like_a_project_is_refused_at_once(
    window: MainWindow, dialogs, tmp_path: Path
) -> None:
    fifo = tmp_path / "pipe.json"
    os.mkfifo(fifo)
    start = time.perf_counter()
    assert not window.open_path(fifo)
    assert time.perf_counter() - start < 5
    [(_, _, text)] = dialogs.of("warning")
    assert "not a regular file" in text
