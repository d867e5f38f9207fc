"""Opening a file never runs code from it: not by File → Open, not by a drop, not by
the command line. Only File → Import…'s Python source runs a ``.py``, and only once
the user has ticked that they trust it.

Each hostile file leaves a mark when its code runs: a ``.py`` at import, a pickle
(``.pt``, ``.pth``, ``.pkl``) when unpickled without ``weights_only``, a ``.json``
if anything evaluated its strings as Python.
"""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest
import torch
from PySide6.QtCore import QMimeData, QPointF, QThreadPool, QUrl

from resnet_studio.gui.import_dialog import PYTHON, TORCHVISION, ImportDialog
from resnet_studio.gui.main_window import MainWindow
from tests.cli_in_process import cli

pytestmark = pytest.mark.filterwarnings("ignore::FutureWarning")
WAIT_MS = 60_000


class _Payload:
    """Unpickled, it runs ``code`` (what a hostile pickle does)."""

    def __init__(self, code: str) -> None:
        self.code = code

    def __reduce__(self):
        return exec, (self.code,)


def _mark(mark: Path) -> str:
    return f"open({str(mark)!r}, 'w').write('ran')"


@pytest.fixture
def hostile(tmp_path: Path) -> tuple[list[Path], Path]:
    """Files of every type the window or the command line may be given, and the mark
    any of them leaves when its code runs."""
    mark = tmp_path / "RAN"
    folder = tmp_path / "files"
    folder.mkdir()
    code = _mark(mark)
    files = []
    py = folder / "model.py"
    py.write_text(f"{code}\nimport torch\nclass Net(torch.nn.Module):\n    pass\n")
    files.append(py)
    project = folder / "project.json"
    project.write_text(
        '{"format": "resnet-studio-project", "version": 2, "network": {"name": '
        f'"__import__(\'builtins\').exec({code!r})", "body": []}}}}'
    )
    files.append(project)
    for name in ("model.pt", "weights.pth"):  # torch's zip format, a hostile pickle inside
        path = folder / name
        torch.save({"state_dict": _Payload(code)}, path)
        files.append(path)
    raw = folder / "weights.pkl"  # a bare pickle
    raw.write_bytes(pickle.dumps(_Payload(code)))
    files.append(raw)
    return files, mark


def _settle(qtbot) -> None:
    QThreadPool.globalInstance().waitForDone(WAIT_MS)
    qtbot.wait(20)


def test_the_payloads_do_run_when_unpickled(hostile) -> None:
    """The check is not blind: loading a payload the unsafe way leaves the mark."""
    files, mark = hostile
    torch.load(files[2], weights_only=False)
    assert mark.exists()


def test_no_way_of_opening_a_file_runs_it(qtbot, window: MainWindow, dialogs, hostile) -> None:
    files, mark = hostile
    for path in files:
        window.open_path(path)  # File → Open's path, and Open Recent's
        _settle(qtbot)
        dialogs.open_path = path
        window.open_dialog()  # File → Open
        _settle(qtbot)
        mime = QMimeData()
        mime.setUrls([QUrl.fromLocalFile(str(path))])
        assert not window.canvas.drop_mime(mime, QPointF(10, 10))  # a file dropped
        assert not mark.exists(), path
    # Every one was refused with a reason, none opened.
    assert len(dialogs.of("warning")) == 2 * len(files)
    assert window.document.trained is None


def test_the_command_line_runs_no_file_it_is_given(capsys, hostile) -> None:
    files, mark = hostile
    for path in files:
        for argv in (["summary", path], ["export", path, "-o", f"{path}.onnx"], [path]):
            try:
                code, _, _ = cli(capsys, *argv)
            except SystemExit as exit_:  # argparse: a file is no subcommand
                code = exit_.code
            assert code == 2, argv
            assert not mark.exists(), argv


def test_the_import_dialog_runs_a_py_only_when_trusted(qtbot, window, hostile) -> None:
    files, mark = hostile
    dialog = ImportDialog(window.settings, window.document.network, window)
    qtbot.addWidget(dialog)
    dialog.tabs.setCurrentIndex(TORCHVISION)  # a hostile weights file: read as data
    dialog.torchvision_weights.edit.setText(str(files[3]))
    assert dialog.start_import()
    qtbot.waitUntil(lambda: not dialog.running, timeout=WAIT_MS)
    assert "refused" in dialog.errors_shown()[0]
    assert not mark.exists()

    dialog.tabs.setCurrentIndex(PYTHON)
    dialog.python_file.edit.setText(str(files[0]))
    dialog.python_class.setText("Net")
    assert not dialog.start_import()
    _settle(qtbot)
    assert not mark.exists()
    dialog.trust_box.setChecked(True)
    assert dialog.start_import()
    qtbot.waitUntil(lambda: not dialog.running, timeout=WAIT_MS)
    assert mark.exists(), "the confirmed import runs it"
