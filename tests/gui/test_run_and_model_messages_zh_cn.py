"""The run store's, the model files' and the last data set messages in Chinese, and
why a run failed, kept in run.json so that the window can show it in its language.

Each message is made by the real code. Its English (what the command line prints) is
exactly what it always was; shown in the window's language, the words change and every
path, number, field name and file name stays as it was.
"""

from __future__ import annotations

import json
import math
import re
import time
from pathlib import Path

import pytest

from resnet_studio.arch.messages import Message
from resnet_studio.arch.presets import preset_network
from resnet_studio.arch.project import network_to_dict
from resnet_studio.arch.spec import Conv2d, Network
from resnet_studio.gui.core_text import shown, shown_error
from resnet_studio.processes import ProcessId
from resnet_studio.training.events import Diverged, Failed, failure_reason
from resnet_studio.training.recipe import Recipe
from resnet_studio.training.runs import RunFolder, RunFolderError, read_run

CJK = re.compile(r"[\u4e00-\u9fff]")
# English words of two letters or more, outside paths, file names and field names.
WORD = re.compile(r"(?<![\w./'\"-])[A-Za-z]{2,}(?![\w./'\"-])")
# Names and values that stay as they are: kinds, formats, options and the like.
NAMES = {
    *("JSON", "UTF", "PyTorch", "ResNet", "Studio", "TorchScript", "ONNX", "GLOBAL", "null"),
    *("recipe", "seed", "std", "onnx", "torch", "pickle", "train", "evaluate"),
}


def run_info(**changes) -> dict:
    """A run.json as a run writes it, with ``changes``."""
    info = {
        "name": "tiny",
        "network": network_to_dict(preset_network("cifar-resnet20")),
        "recipe": Recipe(epochs=2).to_dict(),
        "dataset": {"name": "synthetic"},
        "seed": 0,
        "device": "cpu",
        "status": "finished",
        "reason": "",
    }
    info.update(changes)
    return info


def run_folder(tmp: Path, folder: str = "run", **changes) -> Path:
    path = tmp / folder
    path.mkdir()
    (path / "run.json").write_text(json.dumps(run_info(**changes)), encoding="utf-8")
    return path


def raised(kind: type[Exception], make) -> Exception:
    with pytest.raises(kind) as caught:
        make()
    return caught.value


def not_a_run(tmp: Path) -> Exception:
    return raised(RunFolderError, lambda: read_run(tmp))


def run_json_not_json(tmp: Path) -> Exception:
    (tmp / "run.json").write_text("[1, 2", encoding="utf-8")
    return raised(RunFolderError, lambda: read_run(tmp))


def run_json_a_list(tmp: Path) -> Exception:
    (tmp / "run.json").write_text("[1, 2]", encoding="utf-8")
    return raised(RunFolderError, lambda: read_run(tmp))


def seed_as_text(tmp: Path) -> Exception:
    path = run_folder(tmp, seed="zero")
    return raised(RunFolderError, lambda: read_run(path))


def recipe_out_of_range(tmp: Path) -> Exception:
    path = run_folder(tmp, recipe={**Recipe().to_dict(), "batch_size": 100_000})
    return raised(RunFolderError, lambda: read_run(path))


def no_recipe(tmp: Path) -> Exception:
    info = run_info()
    del info["recipe"]
    (tmp / "run.json").write_text(json.dumps(info), encoding="utf-8")
    return raised(RunFolderError, lambda: read_run(tmp))


def layer_field(tmp: Path) -> Exception:
    network = network_to_dict(preset_network("cifar-resnet20"))
    network["body"][0]["out_channels"] = 100_000
    path = run_folder(tmp, network=network)
    return raised(RunFolderError, lambda: read_run(path))


def no_checkpoint(tmp: Path) -> Exception:
    return raised(RunFolderError, lambda: RunFolder(run_folder(tmp)).checkpoint_path())


def no_weights(tmp: Path) -> Exception:
    from resnet_studio.training.run_weights import run_weights

    return raised(RunFolderError, lambda: run_weights(run_folder(tmp)))


def folder_not_empty(tmp: Path) -> Exception:
    (tmp / "mine").mkdir()
    (tmp / "mine" / "notes.txt").write_text("mine", encoding="utf-8")
    return raised(
        RunFolderError,
        lambda: RunFolder.create(
            tmp / "mine",
            name="x",
            network=preset_network("cifar-resnet20"),
            recipe=Recipe(),
            dataset={"name": "synthetic"},
            device="cpu",
        ),
    )


def locked_elsewhere(tmp: Path) -> Exception:
    from resnet_studio.training.run_lock import LockHolder, RunLockedError

    since = time.mktime((2026, 11, 23, 10, 42, 0, 0, 0, -1))
    return RunLockedError(tmp, LockHolder(ProcessId(4321, "gpu-box", None), since))


def responses_count(tmp: Path) -> Exception:
    from resnet_studio.training.response_file import ResponsesFileError, read_responses

    data = {"format": "resnet-studio-responses", "version": 1, "batch_size": -1}
    (tmp / "responses.json").write_text(json.dumps(data), encoding="utf-8")
    return raised(ResponsesFileError, lambda: read_responses(tmp))


def damaged_model(tmp: Path) -> Exception:
    from resnet_studio.model.files import ModelFileError
    from resnet_studio.model.load import load_model_file

    (tmp / "net.pt").write_bytes(b"not a model, " * 20)
    return raised(ModelFileError, lambda: load_model_file(tmp / "net.pt"))


def empty_model(tmp: Path) -> Exception:
    from resnet_studio.model.files import ModelFileError
    from resnet_studio.model.load import load_model_file

    (tmp / "net.pt").write_bytes(b"")
    return raised(ModelFileError, lambda: load_model_file(tmp / "net.pt"))


def wrong_ending(tmp: Path) -> Exception:
    from resnet_studio.model.files import ModelFileError, check_suffix

    return raised(ModelFileError, lambda: check_suffix(tmp / "net.onnx", "torchscript"))


def metadata_mean(_tmp: Path) -> Exception:
    from resnet_studio.model.metadata import MetaError, meta_from_dict

    meta = {
        "format": "resnet-studio-model-meta",
        "version": 1,
        "input_shape": [3, 32, 32],
        "categories": ["a", "b"],
        "mean": [0.5, 0.5, 0.5],
        "std": [0.25, 0.0, 0.25],
    }
    return raised(MetaError, lambda: meta_from_dict(meta))


def network_with_errors(_tmp: Path) -> Exception:
    from resnet_studio.model.build import BuildError, build_model

    body = (Conv2d(name="c1", out_channels=4, kernel=64), Conv2d(name="c2", out_channels=4))
    return raised(BuildError, lambda: build_model(Network(input_shape=(3, 32, 32), body=body)))


def subset_zero(_tmp: Path) -> Exception:
    from resnet_studio.training.datasets import DatasetError, load_dataset

    return raised(DatasetError, lambda: load_dataset("synthetic", subset=0))


def unreadable_image(tmp: Path) -> Exception:
    from resnet_studio.training.datasets import UnreadableImage, read_image

    (tmp / "cat.png").write_bytes(b"no png")
    return raised(UnreadableImage, lambda: read_image(tmp / "cat.png", 3, (32, 32)))


# Each case: how the real code fails, and its English (``{tmp}``: the test's folder).
CASES = {
    "not a run folder": (not_a_run, "{tmp}: not a run folder (no run.json)"),
    "run.json not JSON": (
        run_json_not_json,
        "{tmp}: damaged: run.json: unreadable (not valid JSON (line 1, column 6: Expecting"
        " ',' delimiter))",
    ),
    "run.json a list": (
        run_json_a_list,
        "{tmp}: damaged: run.json: must be a JSON object, got a list",
    ),
    "seed as text": (
        seed_as_text,
        "{tmp}/run: damaged: run.json: seed must be a whole number, got text",
    ),
    "recipe out of range": (
        recipe_out_of_range,
        "{tmp}/run: damaged: run.json: recipe.batch_size must be from 1 to 65,536, got 100000",
    ),
    "no recipe": (no_recipe, "{tmp}: damaged: run.json: no recipe"),
    "a layer's field": (
        layer_field,
        "{tmp}/run: damaged: run.json: network.body[0].out_channels: must be from 1 to"
        " 65,536, got 100,000",
    ),
    "no checkpoint": (
        no_checkpoint,
        "{tmp}/run: no checkpoint.pt to resume from (a run writes it at the end of each"
        " epoch, and this one has none); train it afresh",
    ),
    "no trained weights": (
        no_weights,
        "{tmp}/run: no trained weights yet (neither model.pt nor checkpoint.pt)",
    ),
    "folder not empty": (
        folder_not_empty,
        "{tmp}/mine: not empty (holds notes.txt); a run needs a new or empty folder, so that"
        " nothing in it is replaced",
    ),
    "locked on another machine": (
        locked_elsewhere,
        "{tmp}: being trained by process 4321 on host gpu-box since 2026-11-23 10:42; wait"
        " for it to end or stop it (this machine cannot tell whether it still runs there;"
        " if it does not, delete {tmp}/run.lock)",
    ),
    "responses file field": (
        responses_count,
        "{tmp}/responses.json: batch_size: must be a whole number, 0 or more",
    ),
    "damaged model file": (
        damaged_model,
        "{tmp}/net.pt: not a PyTorch file (its contents are not a pickle torch can read)",
    ),
    "empty model file": (empty_model, "{tmp}/net.pt: empty file, not a PyTorch file"),
    "wrong ending": (
        wrong_ending,
        "{tmp}/net.onnx: a TorchScript file must end in .pt or .pth (.onnx is for onnx)",
    ),
    "metadata": (
        metadata_mean,
        "model metadata std: must be above 0, got 0.0",
    ),
    "network with errors": (
        network_with_errors,
        "the network has errors: c1: kernel 64×64 (span 64) does not fit the input 32×32"
        " with padding 1; use a smaller kernel, more padding or fewer downsampling layers"
        " before it",
    ),
    "subset zero": (subset_zero, "subset must be 1 or more, got 0"),
    "unreadable image": (
        unreadable_image,
        "{tmp}/cat.png: not a readable image (UnidentifiedImageError: cannot identify image"
        " file '{tmp}/cat.png'); remove it, or skip unreadable images (train or evaluate"
        " --skip-bad-images; “Skip unreadable images” in the Train dialog)",
    ),
}
# The words of Python, PIL and the JSON parser, passed as they are.
THEIRS = ("UnidentifiedImageError: cannot identify image file", "Expecting ',' delimiter")


def kept_parts(english: str) -> list[str]:
    """What must read the same in Chinese: paths, numbers, shapes, quoted values and
    field names (``batch_size``, ``recipe.batch_size``, ``body[0].out_channels``)."""
    return re.findall(
        r"/\S+?(?=:|$| |\)|;)|'[^']*'|-?\d+(?:[,.×:-]\d+)*|\w+_\w+|[\w.]+\[\d+\]\.\w+|--[\w-]+",
        english,
    )


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
        assert kept in text or any(kept in theirs for theirs in THEIRS), (kept, text)
    ours = text
    for theirs in THEIRS:
        ours = ours.replace(theirs, "")
    left = [w for w in WORD.findall(ours) if w not in NAMES]
    assert not left, (left, text)
    assert str(error) == english  # showing it in Chinese leaves the English alone


# --- why a run failed, as run.json keeps it --------------------------------------------


def ended(tmp: Path, event) -> Path:
    """A run folder that recorded ``event`` as its end, as a training run does."""
    path = run_folder(tmp, status="running")
    RunFolder(path).on_event(event)
    return path


def test_a_failure_reason_is_kept_beside_its_english_and_read_back(tmp_path) -> None:
    from resnet_studio.training.datasets import DatasetError, load_dataset

    error = raised(DatasetError, lambda: load_dataset("synthetic", val_size=-1))
    path = ended(tmp_path, Failed(failure_reason(error), "Traceback…"))
    info = json.loads((path / "run.json").read_text(encoding="utf-8"))
    english = "DatasetError: validation size must be 0 or more, got -1"
    assert info["status"] == "failed" and info["reason"] == english  # scripts read this
    assert info["reason_message"]["id"] == "events.error"
    reason = read_run(path).reason
    assert isinstance(reason, Message) and reason == english


def test_a_diverged_run_keeps_its_reason_too(tmp_path) -> None:
    path = ended(tmp_path, Diverged(iteration=120, lr=0.1, loss=math.nan))
    reason = read_run(path).reason
    assert reason == (
        "loss became nan at iteration 120 (lr 0.1); try a lower learning rate or a warm-up"
    )
    assert isinstance(reason, Message)


def test_a_run_written_before_keeps_its_english(tmp_path) -> None:
    path = run_folder(tmp_path, status="failed", reason="RuntimeError: boom")
    reason = read_run(path).reason
    assert reason == "RuntimeError: boom" and not isinstance(reason, Message)


def test_a_kept_reason_that_says_otherwise_is_not_shown(tmp_path) -> None:
    path = ended(tmp_path, Diverged(iteration=120, lr=0.1, loss=math.inf))
    info = json.loads((path / "run.json").read_text(encoding="utf-8"))
    info["reason"] = "edited by hand"
    (path / "run.json").write_text(json.dumps(info), encoding="utf-8")
    reason = read_run(path).reason
    assert reason == "edited by hand" and not isinstance(reason, Message)


def test_a_resumed_run_forgets_its_old_reason(tmp_path) -> None:
    from resnet_studio.training.events import RunStarted

    path = ended(tmp_path, Diverged(iteration=120, lr=0.1, loss=math.inf))
    start = RunStarted("cpu", 1000, 2, 10, 20, 2, 1, start_epoch=1, start_iteration=10)
    RunFolder(path).on_event(start)
    info = json.loads((path / "run.json").read_text(encoding="utf-8"))
    assert info["reason"] == "" and info["reason_message"] is None


# --- in the window ---------------------------------------------------------------------


def test_the_runs_table_says_why_in_chinese(chinese, tmp_path) -> None:
    from resnet_studio.gui.runs_model import NAME, STATUS, RunsModel

    runs = tmp_path / "runs"
    runs.mkdir()
    (runs / "1-damaged").mkdir()
    (runs / "1-damaged" / "run.json").write_text("[1, 2]", encoding="utf-8")
    ended(runs / "..", Diverged(iteration=120, lr=0.1, loss=math.inf)).rename(runs / "2-diverged")
    run_folder(runs, "3-old", status="failed", reason="RuntimeError: boom", name="old")
    model = RunsModel()
    model.load_from_disk(runs)
    tips = {}
    for row in range(model.rowCount()):
        name = model.data(model.index(row, NAME))
        tips[name] = model.data(model.index(row, STATUS), 0x03)  # the tooltip
    assert model.data(model.index(0, STATUS)) == "已损坏"
    assert tips["1-damaged"] == "run.json：必须是 JSON 对象，得到 列表", tips
    assert "120" in tips["tiny"] and "0.1" in tips["tiny"] and "inf" in tips["tiny"], tips
    assert CJK.search(tips["tiny"]) and "loss" not in tips["tiny"], tips
    assert tips["old"] == "RuntimeError: boom"  # a run written before: its English


def test_how_a_run_ended_is_told_in_chinese(chinese) -> None:
    from resnet_studio.gui.run_notices import ended_message
    from resnet_studio.gui.runs_model import RunEntry

    entry = RunEntry("r1", "net", "cifar10", "cpu", "diverged", 3)
    entry.reason = Diverged(iteration=7, lr=0.5, loss=math.inf).reason
    text = ended_message(entry)
    assert text.startswith("r1 已发散") or text.startswith("r1 发散"), text
    assert "7" in text and "0.5" in text and "loss" not in text and "diverged" not in text


def test_cannot_open_a_damaged_model_in_chinese(chinese, qtbot, tmp_path) -> None:
    """What File → Open Model's "Cannot open model" box says: the reason the background
    work hands it."""
    from resnet_studio.gui.tasks import run_in_background
    from resnet_studio.model.load import load_model_file

    (tmp_path / "net.pt").write_bytes(b"not a model, " * 20)
    reasons = []
    run_in_background(
        lambda: load_model_file(tmp_path / "net.pt"), print, lambda r, _t: reasons.append(r)
    )
    qtbot.waitUntil(lambda: bool(reasons), timeout=30_000)
    assert reasons[0].startswith(f"{tmp_path}/net.pt：") and CJK.search(reasons[0]), reasons
    assert "PyTorch" in reasons[0] and "not a" not in reasons[0], reasons


def test_an_export_says_where_its_weights_came_from_in_chinese(chinese) -> None:
    from resnet_studio.training.run_weights import _last_checkpoint
    from resnet_studio.training.runs import RunRecord

    record = RunRecord(Path("run"), {})
    source = _last_checkpoint({"epoch": 3, "batch": 0}, record)
    assert source == "the last checkpoint (epoch 3)"
    assert shown(source) == "最近的检查点（第 3 轮）"


def test_an_image_dropped_on_the_evaluation_tab_that_cannot_be_read(chinese, tmp_path) -> None:
    """Its name and PIL's reason, in one line: not the data set's path and hint."""
    from types import SimpleNamespace

    from resnet_studio.gui.evaluation_jobs import classify_job
    from resnet_studio.model.metadata import untrained_meta

    (tmp_path / "cat.png").write_bytes(b"no png")
    predictor = SimpleNamespace(meta=untrained_meta((3, 32, 32), 10))
    with pytest.raises(ValueError) as caught:
        classify_job(predictor, tmp_path / "cat.png")(None)
    text = str(caught.value)
    assert text.startswith("cat.png：不是可读取的图像（UnidentifiedImageError: "), text
    assert "skip" not in text and "不是可读取的图像" not in text.split("（", 1)[1], text
