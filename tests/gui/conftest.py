"""GUI test sandbox: no real settings, no real user files, no modal dialog ever blocks.

Every GUI test (and the end-to-end tests, which import these fixtures) gets:

- QSettings in INI format under a temporary folder, with test organisation and
  application names, so nothing reads or writes the user's real settings;
- ``RESNET_STUDIO_HOME`` pointing at a temporary folder (recovery files live there);
- :class:`QMessageBox` and :class:`QFileDialog` static helpers replaced by the
  :class:`Dialogs` recorder (the ``dialogs`` fixture), whose answers tests set;
- at teardown, every designer window left open is marked clean and closed, so
  closing can never prompt.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QEvent, QSettings, QThreadPool
from PySide6.QtWidgets import QFileDialog, QMessageBox

Button = QMessageBox.StandardButton


@dataclass
class Dialogs:
    """Stands in for the modal dialogs; records each call as (kind, title, text).

    ``answer`` is what ``QMessageBox.question`` returns; ``save_path`` and
    ``open_path`` what the file dialogs return (None: the user cancelled), with
    ``save_filter`` as the file type chosen (None: the filter passed, whole).
    """

    answer: QMessageBox.StandardButton = Button.Discard
    save_path: str | Path | None = None
    save_filter: str | None = None
    open_path: str | Path | None = None
    calls: list[tuple[str, str, str]] = field(default_factory=list)

    def of(self, kind: str) -> list[tuple[str, str, str]]:
        """The recorded calls of one kind: question, warning, information, about, save, open."""
        return [c for c in self.calls if c[0] == kind]

    def _message(self, kind: str, result: object):
        def show(_parent, title, text, *_args, **_kwargs):
            self.calls.append((kind, title, text))
            return result() if callable(result) else result

        return staticmethod(show)

    def _file(self, kind: str):
        def ask(_parent=None, caption="", directory="", filter="", *_args, **_kwargs):
            self.calls.append((kind, caption, directory))
            path = self.save_path if kind == "save" else self.open_path
            chosen = (self.save_filter if kind == "save" else None) or filter
            return (str(path), chosen) if path else ("", "")

        return staticmethod(ask)

    def install(self, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setattr(QMessageBox, "question", self._message("question", lambda: self.answer))
        monkeypatch.setattr(QMessageBox, "warning", self._message("warning", Button.Ok))
        monkeypatch.setattr(QMessageBox, "information", self._message("information", Button.Ok))
        monkeypatch.setattr(QMessageBox, "critical", self._message("critical", Button.Ok))
        monkeypatch.setattr(QMessageBox, "about", self._message("about", None))
        monkeypatch.setattr(QFileDialog, "getSaveFileName", self._file("save"))
        monkeypatch.setattr(QFileDialog, "getOpenFileName", self._file("open"))


@pytest.fixture
def window(qtbot):
    """A shown designer window on the built-in network (closed by the sandbox at teardown)."""
    from resnet_studio.gui.main_window import MainWindow

    win = MainWindow()
    win.show()
    qtbot.waitExposed(win)
    return win


@pytest.fixture
def dialogs(gui_sandbox: Dialogs) -> Dialogs:
    """The dialog recorder of this test (configure its answers, read its calls)."""
    return gui_sandbox


@pytest.fixture(autouse=True)
def gui_sandbox(qapp, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    settings_dir = tmp_path / "settings"
    home = tmp_path / "home"
    settings_dir.mkdir()
    home.mkdir()
    monkeypatch.setenv("RESNET_STUDIO_HOME", str(home))

    names = (qapp.organizationName(), qapp.applicationName())
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(settings_dir))
    QCoreApplication.setOrganizationName("resnet-studio-tests")
    QCoreApplication.setApplicationName("gui-tests")
    assert QSettings().fileName().startswith(str(settings_dir))

    recorder = Dialogs()
    recorder.install(monkeypatch)
    yield recorder

    _close_all_windows(qapp)
    QCoreApplication.setOrganizationName(names[0])
    QCoreApplication.setApplicationName(names[1])
    QSettings.setDefaultFormat(QSettings.Format.NativeFormat)


def _close_all_windows(qapp) -> None:
    import sys

    training = sys.modules.get("resnet_studio.gui.training")
    if training is not None and training._controller is not None:
        # The application's runs: none may train on into the next test.
        assert training._controller.stop_all(60_000), "a run did not stop"
        training._controller.deleteLater()
        training._controller = None
    module = sys.modules.get("resnet_studio.gui.main_window")
    if module is None:  # no designer window was ever made
        return
    for window in module.open_windows():
        window.document.undo_stack.setClean()  # closing must not ask
        window.autosave_timer.stop()
        window.close()
    # Let background jobs (export, the device probe) report before the next test.
    QThreadPool.globalInstance().waitForDone(60_000)
    qapp.processEvents()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)  # closed windows
    qapp.processEvents()
    assert module.open_windows() == [], "a window refused to close"


@pytest.fixture
def controller(qapp, tmp_path: Path):
    """A training controller writing runs under ``tmp_path/runs``; every run stopped
    afterwards."""
    from resnet_studio.gui.run_worker import running_threads
    from resnet_studio.gui.training import TrainingController

    made = TrainingController(runs_root=tmp_path / "runs")
    yield made
    assert made.stop_all(60_000), "a run thread did not stop"
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    qapp.processEvents()
    assert running_threads() == []
    made.deleteLater()


@pytest.fixture
def stopped(tmp_path: Path) -> Path:
    """A stopped run under ``tmp_path/runs``, with the checkpoint of its starting point."""
    from resnet_studio.training.datasets import load_dataset
    from resnet_studio.training.launch import new_run
    from resnet_studio.training.recipe import Recipe
    from tests.training.conftest import tiny_network

    data = load_dataset("synthetic", subset=64, val_size=64)
    path = tmp_path / "runs" / "stopped"
    recipe = Recipe(batch_size=64, epochs=2, threads=1)
    handle = new_run(tiny_network(), data, recipe, path, name="x", subset=64)
    handle.cancel()  # stops before the first batch, with a checkpoint
    assert handle.run().status == "stopped"
    return path


def tabbed_docks(qtbot, panel):
    """``panel`` in a dock of a shown window, tabbed with a second dock: (the window,
    the panel's dock, the other dock), the panel's in front. Raise the other to put
    the panel behind it. Keep the window: it is gone with its last reference."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QDockWidget, QLabel, QMainWindow

    window = QMainWindow()
    qtbot.addWidget(window)
    window.setCentralWidget(QLabel("canvas"))
    docks = []
    for name, widget in (("panel", panel), ("other", QLabel("another tab"))):
        dock = QDockWidget(name, window)
        dock.setObjectName(name)
        dock.setWidget(widget)
        window.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, dock)
        docks.append(dock)
    window.tabifyDockWidget(*docks)
    window.resize(1000, 800)
    window.show()
    qtbot.waitExposed(window)
    docks[0].raise_()
    qtbot.waitUntil(lambda: not panel.visibleRegion().isEmpty())
    return window, *docks


@pytest.fixture
def chinese(qapp) -> Iterator[None]:
    """The window in Simplified Chinese (its translator and Qt's) for one test."""
    from resnet_studio.gui.language import install_translators

    translators = install_translators(qapp, "zh_CN")
    assert translators, "no zh_CN translation found"
    yield
    for translator in translators:
        qapp.removeTranslator(translator)
