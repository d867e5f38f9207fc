"""Why weights cannot start a run, in the window's language: a mismatch (keys missing,
unexpected or of another shape) and a file that holds no weights. The English is what
the command line prints; in Chinese every key, shape and path stays as it was."""

from __future__ import annotations

import re

import pytest
import torch

from resnet_studio.gui.core_text import shown, shown_error
from resnet_studio.model.files import ModelFileError
from resnet_studio.model.weights import WeightsMismatch, WeightsMismatchError, read_weights

CJK = re.compile(r"[\u4e00-\u9fff]")
ENGLISH = re.compile(r"\b(missing|unexpected|another shape|needs|weights of|do not fit)\b")

MISMATCH = WeightsMismatch(
    missing=("fc.bias",),
    unexpected=("head.weight", "head.bias", "extra.0", "extra.1"),
    reshaped=(("conv1.weight", (8, 1, 3, 3), (8, 3, 3, 3)),),
)


def test_the_english_is_unchanged() -> None:
    assert str(MISMATCH) == (
        "1 missing (fc.bias); 4 unexpected (head.weight, head.bias, extra.0, …); "
        "1 of another shape (conv1.weight: 8×1×3×3 (needs 8×3×3×3))"
    )
    error = WeightsMismatchError("model.pt", MISMATCH)
    assert str(error) == f"the weights of model.pt do not fit the network: {MISMATCH}"


def test_a_mismatch_in_chinese(chinese) -> None:
    error = WeightsMismatchError("model.pt", MISMATCH)
    text = shown_error(error)
    assert CJK.search(text) and not ENGLISH.search(text), text
    for kept in ("model.pt", "fc.bias", "head.weight", "extra.0", "conv1.weight", "8×1×3×3"):
        assert kept in text, (kept, text)
    assert shown(MISMATCH.message()) in text


def test_a_file_without_weights_in_chinese(chinese, tmp_path) -> None:
    path = tmp_path / "numbers.pt"
    torch.save({"epoch": 3, "lr": 0.1}, path)
    with pytest.raises(ModelFileError) as caught:
        read_weights(path)
    assert "holds no state_dict" in str(caught.value)
    text = shown_error(caught.value)
    assert CJK.search(text) and "holds no" not in text and "a dict with keys" not in text, text
    assert str(path) in text and "epoch" in text and "lr" in text


def test_a_refused_pickle_names_its_extension_code_in_chinese(chinese, tmp_path) -> None:
    """A pickle that names code by an extension number, not a name: the refusal says so
    in the window's language, the number kept."""
    from resnet_studio.model.load import unpickling_message

    path = tmp_path / "ext.pt"
    path.write_bytes(b"\x80\x02\x82\x07.")  # protocol 2, EXT1 7, STOP
    message = unpickling_message(path)
    assert str(message).endswith("(Unsupported global: GLOBAL (extension code 7))")
    text = shown(message)
    assert CJK.search(text) and "extension code" not in text and "7" in text, text


def test_opening_a_plain_state_dict_points_to_import(chinese, qtbot, tmp_path, monkeypatch) -> None:
    """File → Open on someone's ``resnet18.pth`` (weights alone) says to import it, in
    the window's language; the command line's English says the same."""
    from PySide6.QtWidgets import QMessageBox

    from resnet_studio.gui.main_window import MainWindow
    from resnet_studio.model.load import load_model_file

    path = tmp_path / "resnet18.pth"
    torch.save({"state_dict": {"conv1.weight": torch.zeros(2, 3, 3, 3)}}, path)
    with pytest.raises(ModelFileError) as caught:
        load_model_file(path)
    assert "weights alone (a state_dict): import it with File → Import…" in str(caught.value)
    said = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *args: said.append(args[2]))
    window = MainWindow()
    qtbot.addWidget(window)
    assert window.open_path(path)  # loads in the background
    qtbot.waitUntil(lambda: bool(said), timeout=20_000)
    assert CJK.search(said[0]) and "导入" in said[0] and str(path) in said[0], said[0]
