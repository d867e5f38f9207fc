"""File → Import…: the sources, the report before anything opens, and the weights kept.

A torchvision ResNet-18 with local weights opens in the designer with those
weights under our names; a model with operations the spec cannot express shows
every one of them and cannot be opened; wrong fields say so in one line under
the field, and the Python source runs nothing until the user ticks that they
trust the file.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
import torch
import torchvision
from PySide6.QtCore import QSettings, QThreadPool
from PySide6.QtGui import QGuiApplication

from resnet_studio.gui.import_dialog import (
    MODEL_FILE,
    PYTHON,
    SHAPE_KEY,
    TORCHVISION,
    ImportDialog,
    remembered_shape,
)
from resnet_studio.gui.import_report import ImportReportDialog
from resnet_studio.gui.language import install_translators
from resnet_studio.gui.main_window import MainWindow, open_windows
from resnet_studio.gui.welcome import IMPORT, WelcomeDialog
from tests.gui.translation_sources import ZH_CN_QM

WAIT_MS = 120_000

# Concatenation, a sort and an element-wise product of two branches: none can be expressed.
UNSUPPORTED = """
import torch
from torch import nn


class Odd(nn.Module):
    def __init__(self, width=4):
        super().__init__()
        self.a = nn.Conv2d(3, width, 3, padding=1)
        self.b = nn.Conv2d(3, width, 3, padding=1)
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.fc = nn.Linear(2 * width, 10)

    def forward(self, x):
        y = torch.cat([self.a(x), self.b(x)], 1)
        y = torch.sort(y, dim=1).values
        y = y * self.a(x).repeat(1, 2, 1, 1)
        return self.fc(torch.flatten(self.pool(y), 1))
"""

MARKED = """
from pathlib import Path
from torch import nn

Path(__file__).with_suffix(".ran").write_text("this file ran")


class Net(nn.Module):
    def __init__(self, classes=10):
        super().__init__()
        self.conv = nn.Conv2d(3, 4, 3, padding=1)
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.flatten = nn.Flatten()
        self.fc = nn.Linear(4, classes)

    def forward(self, x):
        return self.fc(self.flatten(self.pool(self.conv(x))))
"""


@pytest.fixture
def dialog(qtbot, window: MainWindow) -> ImportDialog:
    made = ImportDialog(window.settings, window.document.network, window)
    made.open_requested.connect(window.open_imported)
    made.show()
    qtbot.waitExposed(made)
    return made


def set_shape(dialog: ImportDialog, shape: tuple[int, int, int]) -> None:
    for spin, value in zip(dialog.shape_spins, shape, strict=True):
        spin.setValue(value)


def wait_report(qtbot, dialog: ImportDialog) -> ImportReportDialog:
    qtbot.waitUntil(lambda: dialog.report_dialog is not None, timeout=WAIT_MS)
    return dialog.report_dialog


def wait_idle(qtbot, dialog: ImportDialog) -> None:
    qtbot.waitUntil(lambda: not dialog.running, timeout=WAIT_MS)


def python_source(dialog, path: Path, name: str, arguments: str = "", trust: bool = True) -> None:
    dialog.tabs.setCurrentIndex(PYTHON)
    dialog.python_file.edit.setText(str(path))
    dialog.python_class.setText(name)
    dialog.python_arguments.setText(arguments)
    dialog.trust_box.setChecked(trust)


def test_resnet18_imports_and_opens_with_its_weights(qtbot, window, dialog, tmp_path) -> None:
    torch.manual_seed(0)
    source = torchvision.models.resnet18(weights=None, num_classes=7)
    with torch.no_grad():  # non-trivial statistics, so a lost buffer would show
        for m in source.modules():
            if isinstance(m, torch.nn.BatchNorm2d):
                m.running_mean.uniform_(-0.3, 0.3)
    weights = tmp_path / "resnet18-7.pth"
    torch.save(source.state_dict(), weights)
    dialog.torchvision_name.setEditText("resnet18")
    dialog.torchvision_weights.edit.setText(str(weights))
    set_shape(dialog, (3, 64, 64))
    # num_classes must match the weights: the torchvision source takes no arguments in
    # the dialog, so the file has 7 classes only if the model is built with them.
    dialog.tabs.setCurrentIndex(TORCHVISION)
    assert dialog.start_import()
    wait_idle(qtbot, dialog)
    # 1000 classes built, 7 in the file: the weights do not fit, said under the field.
    assert dialog.report_dialog is None
    [error] = dialog.errors_shown()
    assert "do not fit" in error and "\n" not in error

    source = torchvision.models.resnet18(weights=None)
    torch.save(source.state_dict(), weights)
    assert dialog.start_import()
    report = wait_report(qtbot, dialog)
    assert report.verdict.text().endswith("imported exactly")
    assert "(same)" in report.checks.text() and "loads strictly" in report.checks.text()
    assert report.open_button.isEnabled()
    assert QSettings().value(SHAPE_KEY) == "3,64,64"
    report.open_button.click()
    assert not dialog.isVisible()
    document = window.document  # the window was untouched: the network opens here
    assert document.network.input_shape == (3, 64, 64)
    assert document.network.classes == 1000
    trained = document.trained
    assert trained is not None and trained.meta is not None
    expected = source.state_dict()  # torchvision's names are ours for ResNets
    assert trained.state.keys() == expected.keys()
    for key, tensor in expected.items():
        assert torch.equal(trained.state[key], tensor), key
    assert "(from torchvision:resnet18)" in window.windowTitle()
    assert window.statusBar().currentMessage().startswith("Imported torchvision:resnet18")
    assert "Trained Weights" in window.export_network_action.text()


def test_a_weights_file_opens_as_its_preset_with_its_weights(
    qtbot, window, dialog, tmp_path
) -> None:
    """The Model file source: a weights-only ResNet-18 state_dict is matched with the
    resnet18 preset and opens with exactly those weights."""
    torch.manual_seed(1)
    source = torchvision.models.resnet18(weights=None)
    weights = tmp_path / "resnet18.pth"
    torch.save(source.state_dict(), weights)
    dialog.tabs.setCurrentIndex(MODEL_FILE)
    dialog.model_file.edit.setText(str(weights))
    assert dialog.start_import()
    report = wait_report(qtbot, dialog)
    assert "resnet18" in report.verdict.text(), report.verdict.text()
    assert report.open_button.isEnabled()
    report.open_button.click()
    trained = window.document.trained
    assert trained is not None
    assert window.document.network.input_shape == (3, 224, 224)
    expected = source.state_dict()
    assert trained.state.keys() == expected.keys()
    for key, tensor in expected.items():
        assert torch.equal(trained.state[key], tensor), key


def test_unsupported_operations_are_all_listed_and_cannot_open(
    qtbot, window, dialog, tmp_path
) -> None:
    path = tmp_path / "odd.py"
    path.write_text(UNSUPPORTED)
    set_shape(dialog, (3, 16, 16))
    python_source(dialog, path, "Odd", '{"width": 4}')
    assert dialog.start_import()
    report = wait_report(qtbot, dialog)
    unsupported = report.result.report.unsupported
    assert len(unsupported) >= 3  # every one, not the first
    table = report.unsupported_table
    assert table.rowCount() == len(unsupported)
    listed = {table.item(r, 0).text() for r in range(table.rowCount())}
    assert listed == {u.source for u in unsupported}
    assert all(table.item(r, 2).text() for r in range(table.rowCount()))
    assert report.tabs.currentWidget() is table  # the problems first
    assert report.verdict.text().split(": ", 1)[1].startswith("not imported")
    assert not report.open_button.isEnabled()
    report.open_button.click()  # disabled: nothing happens
    assert window.document.trained is None
    report.copy_report()
    copied = QGuiApplication.clipboard().text()
    assert all(u.source in copied for u in unsupported)
    assert copied.splitlines()[0] == report.verdict.text()


def test_bad_inputs_say_what_is_wrong_under_the_field(qtbot, dialog, tmp_path) -> None:
    dialog.torchvision_name.setEditText("resnet19")
    assert dialog.start_import()
    wait_idle(qtbot, dialog)
    [error] = dialog.errors_shown()
    assert error == dialog.torchvision_error.text()
    assert "resnet19" in error and "did you mean" in error and "resnet18" in error

    missing = tmp_path / "missing.pth"
    dialog.torchvision_name.setEditText("resnet18")
    dialog.torchvision_weights.edit.setText(str(missing))
    assert not dialog.start_import()  # said at once, nothing started
    assert dialog.errors_shown() == [f"{missing}: no such file"]

    script = tmp_path / "net.py"
    script.write_text(MARKED)
    python_source(dialog, tmp_path / "nowhere.py", "Net", '{"classes": 3')
    assert not dialog.start_import()
    assert dialog.python_file_error.text() == f"{tmp_path / 'nowhere.py'}: no such file"
    assert dialog.python_arguments_error.text().startswith("Not valid JSON")
    python_source(dialog, script, "Net", "[3]")
    assert not dialog.start_import()
    assert dialog.errors_shown() == ['Expected a JSON object such as {"num_classes": 10}']
    python_source(dialog, script, "2Net")
    assert not dialog.start_import()
    assert dialog.errors_shown() == ["2Net: not a Python name"]
    python_source(dialog, script, "Missing")
    assert dialog.start_import()
    wait_idle(qtbot, dialog)
    [error] = dialog.errors_shown()
    assert "has no class or function 'Missing'" in error and "(it defines Net)" in error
    assert dialog.report_dialog is None and "Traceback" not in error

    dialog.tabs.setCurrentIndex(MODEL_FILE)
    assert not dialog.start_import()
    assert dialog.errors_shown() == ["Choose a model file"]
    dialog.model_file.edit.setText(str(missing))
    assert not dialog.start_import()
    assert dialog.errors_shown() == [f"{missing}: no such file"]


def test_the_python_source_runs_nothing_until_trusted(qtbot, dialog, tmp_path) -> None:
    script = tmp_path / "net.py"
    script.write_text(MARKED)
    ran = script.with_suffix(".ran")
    set_shape(dialog, (3, 8, 8))
    python_source(dialog, script, "Net", '{"classes": 3}', trust=False)
    assert not dialog.import_button.isEnabled()
    assert not dialog.start_import()
    assert dialog.errors_shown() == ["Tick that you trust this file before it runs"]
    QThreadPool.globalInstance().waitForDone(WAIT_MS)
    assert not ran.exists()

    dialog.trust_box.setChecked(True)
    assert dialog.import_button.isEnabled()
    dialog.python_file.edit.setText(str(script) + " ")  # another file: asked again
    assert not dialog.trust_box.isChecked() and not dialog.import_button.isEnabled()
    dialog.python_file.edit.setText(str(script))
    dialog.trust_box.setChecked(True)
    dialog.import_button.click()
    report = wait_report(qtbot, dialog)
    assert ran.exists(), "the confirmed import runs it (the check above is not blind)"
    assert report.result.report.exact
    assert report.open_button.isEnabled()


def test_closing_while_it_runs_drops_the_result(qtbot, window, dialog) -> None:
    set_shape(dialog, (3, 32, 32))
    assert dialog.start_import()
    assert dialog.busy_row.isVisibleTo(dialog) and not dialog.import_button.isEnabled()
    dialog.reject()
    QThreadPool.globalInstance().waitForDone(WAIT_MS)
    qtbot.wait(50)  # the queued result arrives, and is dropped
    assert dialog.report_dialog is None
    assert window.document.trained is None and len(open_windows()) == 1


def test_a_touched_window_opens_the_import_in_a_new_one(qtbot, window, dialog) -> None:
    window.document.set_network(window.document.network.with_input(classes=5), "classes")
    set_shape(dialog, (3, 32, 32))
    dialog.torchvision_name.setEditText("resnet18")
    assert dialog.start_import()
    wait_report(qtbot, dialog).open_button.click()
    assert window.document.trained is None
    [other] = [w for w in open_windows() if w is not window]
    assert other.document.trained is not None
    assert not other.document.modified


def test_file_menu_and_welcome_page_offer_import(qtbot, window) -> None:
    file_menu = window.menuBar().actions()[0].menu()
    entries = [a.objectName() or a.text() for a in file_menu.actions() if not a.isSeparator()]
    assert entries.index("import_model") == entries.index("open") + 2  # after Open Recent
    assert window.import_model_action.shortcut().toString() == "Ctrl+I"
    window.import_model_action.trigger()
    qtbot.waitUntil(lambda: window.findChild(ImportDialog) is not None)
    window.findChild(ImportDialog).reject()

    page = WelcomeDialog(window.settings, [])
    qtbot.addWidget(page)
    chosen = []
    page.chosen.connect(lambda choice, _: chosen.append(choice))
    page.buttons[IMPORT].click()
    assert chosen == [IMPORT]


def test_the_input_shape_is_remembered(qtbot) -> None:
    settings = QSettings()
    assert remembered_shape(settings) == (3, 224, 224)
    settings.setValue(SHAPE_KEY, "1,28,28")
    assert remembered_shape(settings) == (1, 28, 28)
    settings.setValue(SHAPE_KEY, "nonsense")
    assert remembered_shape(settings) == (3, 224, 224)
    made = ImportDialog(settings)
    qtbot.addWidget(made)
    assert made.input_shape() == (3, 224, 224)


@pytest.fixture
def chinese_here(qapp) -> Iterator[None]:
    """The window in Chinese from this checkout's ``.qm`` (the installed package's
    resources may be another checkout's, which lacks these texts)."""
    translators = install_translators(qapp, "zh_CN", own_folder=ZH_CN_QM.parent)
    assert translators
    yield
    for translator in translators:
        qapp.removeTranslator(translator)


def test_the_dialog_and_report_are_in_chinese(chinese_here, qtbot, tmp_path) -> None:
    from tests.gui.chinese_words import english_words

    made = ImportDialog(QSettings())
    qtbot.addWidget(made)
    made.show()
    qtbot.waitUntil(lambda: made.torchvision_name.count() > 10, timeout=WAIT_MS)
    for index in range(made.tabs.count()):
        made.tabs.setCurrentIndex(index)
        # torchvision's model names are names (alexnet, googlenet), as in any language.
        found = [f for f in english_words("import", made) if "QComboBox" not in f]
        assert found == [], found
    path = tmp_path / "odd.py"
    path.write_text(UNSUPPORTED)
    set_shape(made, (3, 16, 16))
    python_source(made, path, "Odd")
    made.python_arguments.clear()
    assert re.search("[\u4e00-\u9fff]", made.trust_box.text())
    assert made.start_import()
    report = wait_report(qtbot, made)
    own = [report.open_button, report.copy_button, report.tabs.tabBar()]
    own += [report.unsupported_table.horizontalHeader(), report.mapped_table.horizontalHeader()]
    found = [f for w in own for f in english_words("report", w)]
    assert found == [], found
