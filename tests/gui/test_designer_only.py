"""The window without torch, as the designer-only bundle runs it: the designer works, and
every action that needs torch says in a message box (before asking anything) that it
needs the full version and how to get it; the status bar says so instead of a device.

In this process torch is blocked for the test only (tests/torch_blocker.py); one test
opens the window in a fresh Python that never had torch.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QDialog

from resnet_studio.training.recipe import Recipe
from resnet_studio.training.runs import read_run
from tests.torch_blocker import WITHOUT_TORCH, block_torch
from tests.training.conftest import tiny_network

ROOT = Path(__file__).resolve().parents[2]
NEEDS = " needs the full version of ResNet Studio (with PyTorch): "
HOW = "install PyTorch with pip install torch torchvision"
WAIT_MS = 60_000


@pytest.fixture(scope="module")
def finished_run(tmp_path_factory) -> Path:
    """A finished tiny run folder (trained here, with torch), with its model.pt."""
    from resnet_studio.training.datasets import load_dataset
    from resnet_studio.training.launch import new_run

    path = tmp_path_factory.mktemp("runs") / "tiny"
    data = load_dataset("synthetic", subset=64, val_size=32)
    recipe = Recipe(epochs=1, batch_size=32, log_every=1, threads=1)
    assert new_run(tiny_network(), data, recipe, path, name="tiny").run().status == "finished"
    return path


@pytest.fixture
def without_torch(monkeypatch: pytest.MonkeyPatch) -> None:
    block_torch(monkeypatch)


def refused(dialogs) -> list[str]:
    """The actions that message boxes said need the full version, each box checked whole."""
    actions = []
    for kind, title, text in dialogs.calls:
        action, needs, how = text.partition(NEEDS)
        if needs:
            assert (kind, title, how) == ("information", "Needs the Full Version", HOW), text
            actions.append(action)
    return actions


def open_dialogs() -> list[QDialog]:
    return [w for w in QApplication.topLevelWidgets() if isinstance(w, QDialog) and w.isVisible()]


def show_run(window, path: Path) -> None:
    """``path``'s run in the Runs tab, selected (read before torch is blocked)."""
    row = window.training.model.add_past(read_run(path))
    window.runs_panel.select_row(row)


# --- the designer ------------------------------------------------------------------------


def test_the_window_designs_without_torch_and_says_so_for_the_device(
    qtbot, without_torch, window, dialogs
) -> None:
    assert window.layers.model.rowCount() > 0  # the analytic layers table
    assert window.totals_label.text().startswith("269,722 parameters")
    window.append_layer("linear")  # an edit: shapes and totals follow, no torch needed
    assert window.document.undo_stack.count() == 1
    assert window.totals_label.text().startswith("269,832 parameters")  # + 10×10 + 10
    qtbot.waitUntil(
        lambda: window.device_label.text() == "device: needs the full version", timeout=WAIT_MS
    )
    assert window.device_label.toolTip() == f"Training{NEEDS}{HOW}"
    assert dialogs.calls == []  # nothing refused that the user did not ask for


def test_a_torch_that_does_not_load_shows_its_reason_for_the_device(
    qtbot, window, monkeypatch: pytest.MonkeyPatch
) -> None:
    """torch is installed (found) but its import fails: "unavailable", and why."""
    import resnet_studio.gui.main_window as main_window

    monkeypatch.setattr(main_window, "missing_full_version", lambda action: None)
    block_torch(monkeypatch)
    window._detect_device()
    qtbot.waitUntil(lambda: window.device_label.text() == "device: unavailable", timeout=WAIT_MS)
    assert "import of torch halted" in window.device_label.toolTip()


def test_the_window_opens_in_a_python_that_never_had_torch(tmp_path: Path) -> None:
    """A fresh interpreter: importing the window and building every tab needs no torch."""
    script = WITHOUT_TORCH + (
        "import json\n"
        "from PySide6.QtWidgets import QApplication\n"
        "app = QApplication([])\n"
        "from resnet_studio.gui.main_window import MainWindow\n"
        "window = MainWindow()\n"
        "window.show()\n"
        "panels = [window.curves, window.layer_stats, window.evaluation, window.experiments]\n"
        "window._detect_device()\n"
        "app.processEvents()\n"
        "print(json.dumps([window.layers.model.rowCount(), window.device_label.text(),\n"
        "                  sys.modules['torch'] is None and sys.modules['torchvision'] is None]))\n"
        "window.document.undo_stack.setClean()\n"
        "window.close()\n"
    )
    env = dict(
        os.environ,
        PYTHONPATH=str(ROOT),
        QT_QPA_PLATFORM="offscreen",
        XDG_CONFIG_HOME=str(tmp_path / "config"),
        RESNET_STUDIO_HOME=str(tmp_path / "home"),
        RESNET_STUDIO_RUNS=str(tmp_path / "runs"),
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    rows, device, blocked = json.loads(result.stdout.splitlines()[-1])
    assert rows > 0 and device == "device: needs the full version" and blocked
    assert "Traceback" not in result.stderr, result.stderr


# --- each action that needs torch --------------------------------------------------------


def test_train_says_it_needs_the_full_version_before_any_dialog(
    without_torch, window, dialogs
) -> None:
    window.train_action.trigger()
    window.runs_panel.train_action.trigger()  # the Runs tab's Train… too
    assert refused(dialogs) == ["Training", "Training"]
    assert open_dialogs() == []  # no Train dialog to fill in first


def test_export_says_it_needs_the_full_version_before_asking_where(
    without_torch, window, dialogs, tmp_path: Path
) -> None:
    dialogs.save_path = tmp_path / "net.pt"
    window.export_network_action.trigger()
    assert refused(dialogs) == ["Exporting a model"]
    assert dialogs.of("save") == []  # no file dialog first
    assert not dialogs.save_path.exists()


def test_the_runs_tab_refuses_export_and_resume(
    qtbot, window, dialogs, finished_run: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    show_run(window, finished_run)
    block_torch(monkeypatch)
    panel = window.runs_panel
    assert panel.export_action.isEnabled()
    dialogs.save_path = tmp_path / "tiny.pt"
    panel.export_action.trigger()
    panel.resume_selected()
    assert refused(dialogs) == ["Exporting a model", "Training"]
    assert dialogs.of("save") == []
    assert not dialogs.save_path.exists()


def test_the_evaluation_tab_says_it_needs_the_full_version(
    qtbot, window, dialogs, finished_run: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    show_run(window, finished_run)
    block_torch(monkeypatch)
    window.runs_panel.evaluate_action.trigger()
    evaluation = window.evaluation
    qtbot.waitUntil(lambda: len(evaluation.columns()) == 1, timeout=WAIT_MS)
    title = evaluation.columns()[0].title.text()
    assert f"Evaluating a model{NEEDS}{HOW}" in title
    evaluation.evaluate_button.click()
    assert f"Evaluating a model{NEEDS}" in evaluation.columns()[0].title.text()
    dialogs.open_path = tmp_path / "cat.png"
    evaluation.choose_image()
    assert refused(dialogs) == ["Classifying images"]
    assert dialogs.of("open") == []


def test_opening_a_model_file_says_it_needs_the_full_version(
    without_torch, window, dialogs, tmp_path: Path
) -> None:
    model = tmp_path / "model.pt"
    model.write_bytes(b"PK\x03\x04")
    assert not window.open_path(model)
    assert refused(dialogs) == ["Opening a model file"]


def test_experiments_say_they_need_the_full_version(
    qtbot, window, dialogs, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from resnet_studio.training.experiment import (
        ExperimentSpec,
        create_experiment,
        experiment_networks,
    )

    spec = ExperimentSpec("made", depths=(20,), widths=(0.25,), dataset="synthetic")
    path = tmp_path / "exp"
    networks = experiment_networks(spec, fit=lambda n: n)
    create_experiment(path, spec, networks, data_root=tmp_path, dataset="synthetic", subset=64)
    block_torch(monkeypatch)
    window.new_experiment_action.trigger()
    assert refused(dialogs) == ["Running an experiment"]
    assert open_dialogs() == []  # no New Experiment dialog to fill in first
    window.show_experiments_tab()
    panel = window.experiments
    assert panel.open_path(path)  # an experiment's results are shown without torch
    qtbot.waitUntil(lambda: panel.snapshot is not None, timeout=WAIT_MS)
    panel.resume_action.trigger()
    assert refused(dialogs) == ["Running an experiment"] * 2
