"""File → Open of the program's own .pt files, and what Export then writes.

A model file opens in the designer with its trained weights kept, read
without running anything in the file; exporting from that window keeps the
weights and says so, until an edit makes them no longer fit.
"""

from __future__ import annotations

import pathlib
from pathlib import Path

import pytest
import torch

from resnet_studio.arch.presets import preset_network
from resnet_studio.arch.project import project_to_json
from resnet_studio.gui.main_window import MainWindow, open_windows
from resnet_studio.model.build import build_model
from resnet_studio.model.export import save_checkpoint, save_torchscript
from resnet_studio.model.files import CHECKPOINT_FORMAT
from resnet_studio.model.load import load_checkpoint, read_meta
from resnet_studio.model.metadata import ModelMeta

pytestmark = pytest.mark.filterwarnings("ignore:`torch.jit.:FutureWarning")
WAIT_MS = 60_000


@pytest.fixture(scope="module")
def trained() -> tuple:
    """A small CIFAR ResNet with non-trivial weights and the metadata of a trained model."""
    network = preset_network("cifar-resnet20", (3, 16, 16), 4)
    model = build_model(network, seed=3)
    with torch.no_grad():
        for m in model.modules():
            if isinstance(m, torch.nn.BatchNorm2d):  # not the identity in eval mode
                m.running_mean.uniform_(-0.3, 0.3)
                m.running_var.uniform_(0.5, 2.0)
    meta = ModelMeta(
        input_shape=(3, 16, 16),
        categories=("cat", "dog", "ship", "frog"),
        mean=(0.5, 0.45, 0.4),
        std=(0.25, 0.24, 0.26),
        dataset="folder:/somewhere/pets",
        trained=True,
    )
    return network, model.eval(), meta


def wait_opened(qtbot, name: str) -> MainWindow:
    qtbot.waitUntil(
        lambda: any(f"(from {name})" in w.windowTitle() for w in open_windows()), timeout=WAIT_MS
    )
    return next(w for w in open_windows() if f"(from {name})" in w.windowTitle())


def wait_message(qtbot, window: MainWindow, start: str) -> str:
    qtbot.waitUntil(lambda: window.statusBar().currentMessage().startswith(start), timeout=WAIT_MS)
    return window.statusBar().currentMessage()


def expected_logits(model, meta: ModelMeta, x: torch.Tensor) -> torch.Tensor:
    mean = torch.tensor(meta.mean).view(1, -1, 1, 1)
    std = torch.tensor(meta.std).view(1, -1, 1, 1)
    with torch.no_grad():
        return model((x - mean) / std)


@pytest.mark.parametrize("kind", ["checkpoint", "torchscript"])
def test_open_a_model_file_and_export_it_with_its_weights(
    qtbot, window: MainWindow, dialogs, tmp_path: Path, trained, kind: str
) -> None:
    network, model, meta = trained
    source = tmp_path / f"pets-{kind}.pt"
    (save_checkpoint if kind == "checkpoint" else save_torchscript)(source, network, model, meta)
    dialogs.open_path = source
    window.open_action.trigger()
    assert dialogs.of("open")[0][1] == "Open"
    opened = wait_opened(qtbot, source.name)
    assert opened is window  # an untouched window takes it
    assert opened.document.network.input_shape == (3, 16, 16)
    assert opened.document.trained.meta == meta and opened.document.path is None
    message = opened.statusBar().currentMessage()
    assert f"Opened {source.name} (trained on folder:/somewhere/pets)" in message
    assert "exporting from this window keeps its weights" in message
    assert str(source) in opened.recent_files()
    # File → Export says which weights it writes.
    assert opened.export_network_action.text() == "Export Network with &Trained Weights…"
    assert source.name in opened.export_network_action.statusTip()

    out = tmp_path / "again.pt"
    opened.export_model_to(out, "torchscript")
    done = wait_message(qtbot, opened, "Exported")
    assert done == f"Exported {out} with the trained weights from {source.name}"
    x = torch.rand(3, 3, 16, 16)
    with torch.no_grad():
        got = torch.jit.load(str(out))(x)
    assert torch.allclose(got, expected_logits(model, meta, x), atol=1e-5)
    assert read_meta(out).categories == meta.categories


def test_edits_that_break_the_weights_export_untrained_and_say_so(
    qtbot, window: MainWindow, dialogs, tmp_path: Path, trained
) -> None:
    network, model, meta = trained
    source = tmp_path / "pets.pt"
    save_checkpoint(source, network, model, meta)
    window.open_path(source)
    opened = wait_opened(qtbot, source.name)
    opened.document.set_network(network.with_input(None, 7), "Change classes")
    out = tmp_path / "edited.pt"
    opened.export_model_to(out, "checkpoint")
    message = wait_message(qtbot, opened, "Exported")
    assert "untrained: freshly initialised weights, no preprocessing" in message
    assert f"no longer fits the weights opened from {source.name}" in message
    assert read_meta(out).trained is False


def test_the_designers_own_export_says_untrained(qtbot, window: MainWindow, tmp_path: Path):
    assert window.export_network_action.text() == "Export &Untrained Network…"
    assert "freshly initialised weights" in window.export_network_action.statusTip()
    out = tmp_path / "fresh.pt"
    window.export_model_to(out, "checkpoint")
    message = wait_message(qtbot, window, "Exported")
    assert message == f"Exported {out} (untrained: freshly initialised weights, no preprocessing)"
    _, _, meta = load_checkpoint(out)
    assert meta.trained is False and meta.mean is None and not meta.normalized_inside


class Payload:
    def __init__(self, target: Path) -> None:
        self.target = target

    def __reduce__(self):
        return (pathlib.Path.touch, (self.target,))


def test_a_hostile_model_file_is_refused_and_runs_nothing(
    qtbot, window: MainWindow, dialogs, tmp_path: Path
) -> None:
    network = preset_network("cifar-resnet20", (3, 16, 16), 4)
    marker = tmp_path / "pwned"
    bad = tmp_path / "bad.pt"
    torch.save(
        {
            "format": CHECKPOINT_FORMAT,
            "version": 1,
            "spec": project_to_json(network),
            "state_dict": Payload(marker),
        },
        bad,
    )
    window.open_path(bad)
    qtbot.waitUntil(lambda: dialogs.of("warning") != [], timeout=WAIT_MS)
    (_, title, text), *_ = dialogs.of("warning")
    assert title == "Cannot open model"
    assert "bad.pt: refused to load" in text and "could run code" in text
    assert not marker.exists()
    assert window.document.trained is None and open_windows() == [window]
