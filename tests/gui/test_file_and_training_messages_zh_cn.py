"""The rest of the core's messages in Chinese: files that cannot be read or written,
the clipboard, the training recipe, data sets, experiments and runs that cannot start.

Each message is made by the real code. Its English (what the command line prints)
is exactly what it always was; shown in the window's language, the words change and
every path, number, field name and data set name stays as it was.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from resnet_studio.arch.clipboard import CLIPBOARD_KEY, paste_nodes
from resnet_studio.arch.edit import EditError
from resnet_studio.arch.messages import Message
from resnet_studio.arch.project import ProjectError, load_project
from resnet_studio.arch.spec import Conv2d, Network
from resnet_studio.gui.core_text import shown_error, shown_reason
from resnet_studio.reading import ReadError, parse_json, read_bytes
from resnet_studio.training.dataset_info import DATASETS
from resnet_studio.training.experiment import ExperimentError, ExperimentSpec, read_experiment
from resnet_studio.training.orchestration import (
    DataMismatchError,
    NothingLeftError,
    fit_network_to_data,
)
from resnet_studio.training.recipe import Recipe, RecipeError
from resnet_studio.writing import WriteError, write_atomically

CJK = re.compile(r"[\u4e00-\u9fff]")
# English words of two letters or more, outside paths, quoted names and field names.
WORD = re.compile(r"(?<![\w./'-])[A-Za-z]{2,}(?![\w./'-])")
NAMES = {"JSON", "UTF", "CIFAR", "PATH", "cifar", "plain"}  # names and values, kept


def raised(kind: type[Exception], make) -> Exception:
    with pytest.raises(kind) as caught:
        make()
    return caught.value


def folder_as_file(tmp: Path) -> Exception:
    return raised(ReadError, lambda: read_bytes(tmp, 1000))


def too_large(tmp: Path) -> Exception:
    big = tmp / "big.json"
    big.write_bytes(b"x" * 2000)
    return raised(ReadError, lambda: read_bytes(big, 1000))


def long_number(_tmp: Path) -> Exception:
    return raised(ReadError, lambda: parse_json("[" + "9" * 50 + "]", "numbers.json"))


def project_in_a_folder_name(tmp: Path) -> Exception:
    (tmp / "net.json").write_bytes(b"\xff\xfe")
    return raised(ProjectError, lambda: load_project(tmp / "net.json" / "x"))


def write_over_a_folder(tmp: Path) -> Exception:
    return raised(WriteError, lambda: write_atomically(tmp, b"data"))


def clipboard_too_long(_tmp: Path) -> Exception:
    return raised(EditError, lambda: paste_nodes(CLIPBOARD_KEY + " " * 17_000_000))


def clipboard_bad_layer(_tmp: Path) -> Exception:
    layer = {"kind": "Conv2d", "name": "conv1", "out_channels": 100_000}
    text = json.dumps({CLIPBOARD_KEY: [layer]})
    return raised(EditError, lambda: paste_nodes(text))


def recipe_out_of_range(_tmp: Path) -> Exception:
    return raised(RecipeError, lambda: Recipe(batch_size=100_000))


def recipe_wrong_type(_tmp: Path) -> Exception:
    return raised(RecipeError, lambda: Recipe(epochs="ten"))


def data_mismatch(_tmp: Path) -> Exception:
    net = Network(input_shape=(3, 32, 32), classes=10, body=(Conv2d(name="c1", out_channels=4),))
    return raised(
        DataMismatchError, lambda: fit_network_to_data(net, DATASETS["mnist"], adaptable=False)
    )


def nothing_left(tmp: Path) -> Exception:
    return NothingLeftError(tmp / "run-7", "12 epochs", "epochs", 12)


def experiment_depths(_tmp: Path) -> Exception:
    spec = ExperimentSpec(name="study", family="cifar", depths=(21,))
    return raised(ExperimentError, spec.check)


def not_an_experiment(tmp: Path) -> Exception:
    return raised(ExperimentError, lambda: read_experiment(tmp))


def experiment_bad_json(tmp: Path) -> Exception:
    (tmp / "experiment.json").write_text("{", encoding="utf-8")
    return raised(ExperimentError, lambda: read_experiment(tmp))


# Each case: how the real code fails, and its English (``{tmp}``: the test's folder).
CASES = {
    "folder, not a file": (folder_as_file, "{tmp}: a folder, not a file"),
    "file too large": (
        too_large,
        "{tmp}/big.json: 2,000 bytes, more than a file may be (1,000 bytes)",
    ),
    "number too long": (long_number, "numbers.json: not valid JSON (a number of 50 digits)"),
    "project path through a file": (
        project_in_a_folder_name,
        "{tmp}/net.json/x: cannot read (Not a directory)",
    ),
    "write over a folder": (
        write_over_a_folder,
        "{tmp}: a folder, not a regular file; refusing to replace it",
    ),
    "clipboard too long": (
        clipboard_too_long,
        "the clipboard holds 17,000,020 characters, more than a network",
    ),
    "clipboard layer field": (
        clipboard_bad_layer,
        "clipboard[0].out_channels: must be from 1 to 65,536, got 100,000",
    ),
    "recipe out of range": (
        recipe_out_of_range,
        "batch_size: must be from 1 to 65,536, got 100000",
    ),
    "recipe wrong type": (recipe_wrong_type, "epochs: must be a whole number, got 'ten'"),
    "network does not fit the data": (
        data_mismatch,
        "the network takes 3×32×32 images and 10 classes, but mnist has 1×28×28 images"
        " and 10 classes; set the network's input shape and classes to match",
    ),
    "nothing left to train": (
        nothing_left,
        "{tmp}/run-7: already finished 12 epochs; give it more epochs to train longer",
    ),
    "experiment depth": (
        experiment_depths,
        "depths: no cifar plain network of depth 21 (20, 32, 44, 56, 110, 1202)",
    ),
    "not an experiment": (
        not_an_experiment,
        "{tmp}: not an experiment folder (no experiment.json)",
    ),
    "experiment not JSON": (
        experiment_bad_json,
        "{tmp}/experiment.json: not JSON (Expecting property name enclosed in double quotes"
        " at line 1)",
    ),
}


def kept_parts(english: str) -> list[str]:
    """What must read the same in Chinese: paths, numbers, shapes, quoted values and
    field names (``batch_size``, ``clipboard[0].out_channels``)."""
    return re.findall(r"/\S+?(?=:|$| )|'[^']*'|\d+(?:[,.×]\d+)*|\w+_\w+|\w+\[\d+\]\.\w+", english)


@pytest.mark.parametrize("case", CASES)
def test_english_is_unchanged(case, tmp_path) -> None:
    make, english = CASES[case]
    error = make(tmp_path)
    assert str(error) == english.format(tmp=tmp_path)
    assert shown_error(error) == str(error)  # no translator: the window shows the English


@pytest.mark.parametrize("case", CASES)
def test_chinese_keeps_paths_numbers_and_fields(chinese, case, tmp_path) -> None:
    make, english = CASES[case]
    english = english.format(tmp=tmp_path)
    error = make(tmp_path)
    text = shown_error(error)
    assert CJK.search(text), text
    for kept in kept_parts(english):
        assert kept in text, (kept, text)
    # Python's and the system's own words (a JSON parser's reason, "Not a directory")
    # are passed as they are; every word of ours is translated.
    ours = text.replace("Expecting property name enclosed in double quotes", "")
    ours = ours.replace("Not a directory", "")
    left = [w for w in WORD.findall(ours) if w not in NAMES and w not in english.split(": ")[0]]
    assert not left, (left, text)
    assert str(error) == english  # showing it in Chinese leaves the English alone


def test_shown_reason_is_one_line_and_translated(chinese, tmp_path) -> None:
    error = not_an_experiment(tmp_path)
    assert isinstance(error.args[0], Message)
    reason = shown_reason(error)
    assert "\n" not in reason and str(tmp_path) in reason and CJK.search(reason)
    assert shown_reason(ValueError("")) == "ValueError"


def test_train_dialog_says_why_the_network_does_not_fit_in_chinese(chinese, qtbot, controller):
    from resnet_studio.arch.presets import preset_network
    from resnet_studio.gui.train_dialog import TrainDialog

    dialog = TrainDialog(preset_network("cifar-resnet20"), controller)
    qtbot.addWidget(dialog)
    dialog.dataset.setCurrentIndex(dialog.dataset.findData("fashion-mnist"))
    dialog.fit.setChecked(False)
    text = dialog.check_label.text()
    assert not dialog.start_button.isEnabled()
    assert "3×32×32" in text and "1×28×28" in text and "Fashion-MNIST" in text, text
    assert CJK.search(text) and "network takes" not in text and "classes" not in text, text


def test_background_work_reports_its_failure_in_chinese(chinese, qtbot, tmp_path):
    """What a data set or an experiment that cannot load reaches the window as: the
    reason run_in_background hands to the dialog or status bar."""
    from resnet_studio.gui.tasks import run_in_background

    reasons = []
    run_in_background(lambda: read_experiment(tmp_path), print, lambda r, _t: reasons.append(r))
    qtbot.waitUntil(lambda: bool(reasons), timeout=10_000)
    assert str(tmp_path) in reasons[0] and "experiment.json" in reasons[0]
    assert CJK.search(reasons[0]) and "not an experiment" not in reasons[0], reasons[0]


def test_experiment_grid_words_a_cells_status_in_chinese(chinese, qtbot) -> None:
    from resnet_studio.gui.experiment_grid import CellGrid

    spec = ExperimentSpec("g", depths=(20,), widths=(0.5,), seeds=(0,))
    grid = CellGrid()
    qtbot.addWidget(grid)
    grid.set_experiment(type("E", (), {"cells": spec.cells()})())
    grid.set_state("resnet20-w0.5-s0", "failed", "out of memory")
    tip = grid.tooltip("resnet20-w0.5-s0")
    assert tip.startswith("resnet20-w0.5-s0: 失败"), tip  # the runs table's word for it
