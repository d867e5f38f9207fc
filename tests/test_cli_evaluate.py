"""``evaluate``, ``predict`` and ``export RUNDIR`` as a user runs them, in-process.

A tiny network is trained once (a module fixture) on a small image folder of
the built-in shapes, written as PNG files in class folders like a user's own
data set; a second one on MNIST for what needs a torchvision set (skipped
without the shared data). Everything else is a copy of those run folders,
changed as an older or a stopped run would be.
"""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
from pathlib import Path

import pytest
import torch
from PIL import Image

from resnet_studio.arch.project import save_project
from resnet_studio.cli import main
from resnet_studio.training.datasets import load_dataset
from resnet_studio.training.synthetic import SYNTHETIC_CLASSES, generate_shapes
from tests.cli_in_process import assert_one_line_error, cli
from tests.training.conftest import tiny_network

SEED = 5  # not the default: the validation hold-out must follow the run's own seed
CLASSES = sorted(SYNTHETIC_CLASSES)  # a folder's classes are its sorted folder names
TRAIN_IMAGES, TEST_IMAGES = 300, 100
EPOCHS = 8  # a fraction of a second each: enough to get well below chance
# Users still load TorchScript with torch.jit.load, deprecated or not.
pytestmark = pytest.mark.filterwarnings("ignore:`torch.jit.load` is deprecated:FutureWarning")


def write_images(folder: Path, images: torch.Tensor, labels: torch.Tensor, names) -> None:
    """PNG files in one folder per class, as a user's own data set."""
    for i, (image, label) in enumerate(zip(images, labels.tolist(), strict=True)):
        target = folder / names[label]
        target.mkdir(parents=True, exist_ok=True)
        Image.fromarray(image.permute(1, 2, 0).numpy()).save(target / f"{i:04d}.png")


def train(argv: list[object]) -> None:
    """``resnet-studio train ARGV`` in-process; it must finish."""
    assert main([str(a) for a in argv]) == 0


@pytest.fixture(scope="module")
def user(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A user's folder: image folders, the tiny project, and a run trained on the shapes."""
    base = tmp_path_factory.mktemp("user")
    images, labels = generate_shapes(TRAIN_IMAGES + TEST_IMAGES, torch.Generator().manual_seed(1))
    train_part = images[:TRAIN_IMAGES], labels[:TRAIN_IMAGES]
    test_part = images[TRAIN_IMAGES:], labels[TRAIN_IMAGES:]
    write_images(base / "shapes" / "train", *train_part, SYNTHETIC_CLASSES)
    write_images(base / "shapes" / "test", *test_part, SYNTHETIC_CLASSES)
    # The same classes without train/ and test/: no test split.
    write_images(base / "flat", *test_part, SYNTHETIC_CLASSES)
    # Data that does not fit the network: other names, fewer classes, smaller images.
    renamed = ("circle", *SYNTHETIC_CLASSES[1:])
    write_images(base / "renamed", *test_part, renamed)
    few = test_part[1] < 3
    write_images(base / "three", test_part[0][few], test_part[1][few], SYNTHETIC_CLASSES)
    small, small_labels = generate_shapes(30, torch.Generator().manual_seed(2), size=24)
    write_images(base / "small", small, small_labels, SYNTHETIC_CLASSES)

    save_project(base / "tiny.json", tiny_network())
    train(
        ["train", base / "tiny.json", "--dataset", f"folder:{base / 'shapes'}", "--epochs", EPOCHS,
         "--batch-size", 16, "--optimizer", "adam", "--lr", 0.005, "--schedule", "constant",
         "--seed", SEED, "--threads", 2, "--out", base / "run"]
    )  # fmt: skip
    return base


@pytest.fixture(scope="module")
def run(user: Path) -> Path:
    return user / "run"


@pytest.fixture(scope="module")
def mnist_run(tmp_path_factory: pytest.TempPathFactory, shared_data: Path) -> Path:
    """The tiny network trained briefly on MNIST (a torchvision set)."""
    base = tmp_path_factory.mktemp("mnist")
    save_project(base / "tiny.json", tiny_network().with_input((1, 28, 28), 10))
    train(
        ["train", base / "tiny.json", "--dataset", "mnist", "--data-root", shared_data,
         "--subset", 256, "--epochs", 1, "--seed", SEED, "--threads", 2, "--out", base / "run"]
    )  # fmt: skip
    return base / "run"


def run_info(run: Path) -> dict:
    return json.loads((run / "run.json").read_text())


def copy_run(run: Path, to: Path) -> Path:
    shutil.copytree(run, to)
    return to


def evaluated(capsys: pytest.CaptureFixture[str], *argv: object) -> dict:
    code, out, err = cli(capsys, "evaluate", *argv, "--json")
    assert code == 0, err
    return json.loads(out)


# --- evaluate ------------------------------------------------------------------------------


def test_evaluate_prints_the_errors_and_a_table_per_class(
    capsys: pytest.CaptureFixture[str], user: Path, run: Path
) -> None:
    code, out, err = cli(capsys, "evaluate", run)
    assert code == 0, err
    lines = out.splitlines()
    folder = f"folder:{(user / 'shapes').resolve()}"
    assert re.fullmatch(
        rf"evaluated {re.escape(str(run))} \(the finished model\) on {re.escape(folder)} test: "
        rf"{TEST_IMAGES} images in \d+\.\d s, [\d,]+ images/s",
        lines[0],
    ), lines[0]
    numbers = re.fullmatch(
        r"error (\d+\.\d\d)%  top-1 (\d+\.\d\d)%  top-5 (\d+\.\d\d)%  loss (\d+\.\d{4})", lines[1]
    )
    assert numbers, lines[1]
    error, top1, top5, loss = map(float, numbers.groups())
    assert error + top1 == pytest.approx(100)
    assert top1 <= top5 <= 100
    # The test split once more: the error the run recorded when it finished.
    test = run_info(run)["test"]
    assert error == pytest.approx(100 * test["error"], abs=0.005)
    assert loss == pytest.approx(test["loss"], abs=1e-3)
    assert lines[2] == ""
    assert lines[3].split() == ["class", "images", "error"]
    rows = [line.split() for line in lines[4:]]
    assert [row[0] for row in rows] == CLASSES
    test_counts = {name: len(list((user / "shapes" / "test" / name).iterdir())) for name in CLASSES}
    assert {row[0]: int(row[1]) for row in rows} == test_counts
    for row in rows:
        assert re.fullmatch(r"\d+\.\d\d%", row[2]), row
    # Each class's error, weighted by its images, adds up to the error.
    wrong = sum(int(row[1]) * float(row[2][:-1]) / 100 for row in rows)
    assert wrong == pytest.approx(error / 100 * TEST_IMAGES, abs=0.05)


def test_evaluate_json(capsys: pytest.CaptureFixture[str], user: Path, run: Path) -> None:
    report = evaluated(capsys, run)
    assert report["model"] == str(run)
    assert report["weights"] == "the finished model"
    assert report["dataset"] == f"folder:{(user / 'shapes').resolve()}"
    assert report["split"] == "test"
    assert report["images"] == TEST_IMAGES
    assert report["error"] == pytest.approx(1 - report["top1"])
    assert report["error"] == pytest.approx(run_info(run)["test"]["error"])
    assert report["top1"] <= report["top5"] <= 1
    assert report["loss"] > 0
    assert [c["name"] for c in report["classes"]] == CLASSES
    confusion = torch.tensor(report["confusion"])
    assert confusion.shape == (10, 10) and int(confusion.sum()) == TEST_IMAGES
    assert [c["images"] for c in report["classes"]] == confusion.sum(dim=1).tolist()
    assert 1 - int(confusion.trace()) / TEST_IMAGES == pytest.approx(report["error"])
    assert 0 < len(report["worst"]) <= TEST_IMAGES * report["error"] + 1e-9
    for worst in report["worst"]:
        assert worst["true"] != worst["predicted"]
        assert {worst["true"], worst["predicted"]} <= set(CLASSES)
        assert 0 < worst["probability"] <= 1
        assert 0 <= worst["index"] < TEST_IMAGES


def test_evaluate_writes_a_report_folder(
    capsys: pytest.CaptureFixture[str], run: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "reports" / "shapes"  # made, parents and all
    code, out, err = cli(capsys, "evaluate", run, "-o", folder)
    assert code == 0, err
    names = ["report.json", "confusion.csv", "confusion.png", "mistakes.png"]
    assert out.splitlines()[-1] == "wrote " + ", ".join(str(folder / n) for n in names)
    assert sorted(p.name for p in folder.iterdir()) == sorted(names)

    report = json.loads((folder / "report.json").read_text())
    assert report == {k: v for k, v in evaluated(capsys, run).items() if k in report}
    rows = list(csv.reader(io.StringIO((folder / "confusion.csv").read_text())))
    assert rows[0][1:] == CLASSES  # the header names the predicted classes
    assert [row[0] for row in rows[1:]] == CLASSES  # one row per true class
    counts = [[int(v) for v in row[1:]] for row in rows[1:]]
    assert counts == report["confusion"]
    assert sum(map(sum, counts)) == report["images"] == TEST_IMAGES

    for name, least in (("confusion.png", (300, 300)), ("mistakes.png", (200, 60))):
        with Image.open(folder / name) as image:
            assert image.format == "PNG"
            image.verify()
        with Image.open(folder / name) as image:
            width, height = image.size
            assert least[0] <= width <= 3000 and least[1] <= height <= 3000, (name, image.size)
            colours = image.getcolors(1 << 16)  # None: more than that many
            assert colours is None or len(colours) > 2  # drawn on, not blank


def test_evaluate_val_split_is_the_runs_own_hold_out(
    capsys: pytest.CaptureFixture[str], run: Path
) -> None:
    info = run_info(run)
    report = evaluated(capsys, run, "--split", "val")
    assert report["split"] == "val"
    assert report["images"] == info["dataset"]["val_images"] == round(TRAIN_IMAGES * 0.1)
    # The same images the run validated on: those its seed held out, not seed 0's.
    name = info["dataset"]["name"]
    held_out = load_dataset(name, seed=SEED).val.labels.bincount(minlength=10).tolist()
    assert held_out != load_dataset(name, seed=0).val.labels.bincount(minlength=10).tolist()
    assert [c["images"] for c in report["classes"]] == held_out
    finished = json.loads((run / "metrics.jsonl").read_text().splitlines()[-1])
    assert report["error"] == pytest.approx(finished["final_val_error"])


@pytest.mark.parametrize(
    ("folder", "fragments"),
    [
        ("small", ("has 3×24×24 images, but", "takes 3×32×32")),
        ("three", ("has 3 classes, but", "has 10")),
        ("renamed", ("'s classes (checkerboard, circle, cross, d-stripes, …) are not",)),
    ],
)
def test_evaluate_on_data_that_does_not_fit_the_model(
    capsys: pytest.CaptureFixture[str], user: Path, run: Path, folder: str, fragments
) -> None:
    code, out, err = cli(capsys, "evaluate", run, "--folder", user / folder, "--split", "val")
    assert_one_line_error(code, err, *fragments)
    assert out == ""


def test_evaluate_without_a_test_split_suggests_the_val_split(
    capsys: pytest.CaptureFixture[str], user: Path, run: Path
) -> None:
    code, out, err = cli(capsys, "evaluate", run, "--folder", user / "flat")
    assert_one_line_error(code, err, "has no test split here; use --split val")
    report = evaluated(capsys, run, "--folder", user / "flat", "--split", "val")
    assert report["images"] == round(TEST_IMAGES * 0.1)


def test_evaluate_of_an_exported_file_gives_the_runs_error(
    capsys: pytest.CaptureFixture[str], run: Path, tmp_path: Path
) -> None:
    expected = evaluated(capsys, run)
    for fmt in ("torchscript", "checkpoint"):
        path = tmp_path / f"{fmt}.pt"
        code, _, err = cli(capsys, "export", run, "--format", fmt, "-o", path)
        assert code == 0, err
        report = evaluated(capsys, path)
        assert report["weights"] == f"the {fmt} file"
        assert report["confusion"] == expected["confusion"]
        assert report["loss"] == pytest.approx(expected["loss"], abs=1e-5)


# --- predict -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def pictures(user: Path) -> list[Path]:
    """Two test images of the shapes folder."""
    return sorted((user / "shapes" / "test" / "disc").iterdir())[:2]


def test_predict_prints_the_top_classes_with_probabilities(
    capsys: pytest.CaptureFixture[str], run: Path, pictures: list[Path]
) -> None:
    code, out, err = cli(capsys, "predict", run, *pictures, "--top", 3)
    assert code == 0, err
    lines = out.splitlines()
    assert len(lines) == 2 * 4
    for i, picture in enumerate(pictures):
        assert lines[4 * i] == str(picture)  # no note: the image is as the model takes it
        guesses = [re.fullmatch(r"  (\S+) +(\d+\.\d\d)%", line) for line in lines[4 * i + 1 :][:3]]
        assert all(guesses), lines
        assert {g[1] for g in guesses} <= set(CLASSES)
        probabilities = [float(g[2]) for g in guesses]
        assert probabilities == sorted(probabilities, reverse=True)
        assert sum(probabilities) <= 100.01

    code, out, err = cli(capsys, "predict", run, *pictures, "--top", 50, "--json")
    assert code == 0, err
    result = json.loads(out)
    assert result["model"] == str(run)
    for prediction, picture in zip(result["predictions"], pictures, strict=True):
        assert prediction["image"] == str(picture) and prediction["note"] == ""
        top = prediction["top"]
        assert sorted(t["class"] for t in top) == CLASSES  # --top beyond the classes: all
        assert sum(t["probability"] for t in top) == pytest.approx(1, abs=1e-5)


def test_predict_resizes_and_converts_an_image_and_says_so(
    capsys: pytest.CaptureFixture[str], run: Path, pictures: list[Path], tmp_path: Path
) -> None:
    grey = tmp_path / "grey.png"
    with Image.open(pictures[0]) as image:
        image.convert("L").resize((48, 40)).save(grey)
    code, out, err = cli(capsys, "predict", run, grey, "--top", 1)
    assert code == 0, err
    assert out.splitlines()[0] == f"{grey} (resized from 48×40 to 32×32, converted from L to RGB)"
    assert len(out.splitlines()) == 2


@pytest.mark.parametrize(
    ("make", "fragments"),
    [
        (lambda d, p: [p, "--top", 0], ("--top: must be at least 1, got 0",)),
        (lambda d, p: [d / "missing.png"], ("missing.png: no such file",)),
        (lambda d, p: [d], ("a folder, not an image file",)),
        (
            lambda d, p: [_text(d / "notes.png")],
            ("notes.png: not a readable image (",),
        ),
    ],
    ids=["top-0", "missing", "folder", "not-an-image"],
)
def test_predict_mistakes_get_one_line(
    capsys: pytest.CaptureFixture[str], run: Path, pictures, tmp_path: Path, make, fragments
) -> None:
    code, out, err = cli(capsys, "predict", run, *make(tmp_path, pictures[0]))
    assert_one_line_error(code, err, *fragments)
    assert out == ""


def _text(path: Path) -> Path:
    path.write_text("not a picture\n")
    return path


# --- export of a run folder ------------------------------------------------------------------


def checkpoint_meta(path: Path) -> dict:
    return torch.load(path, weights_only=True)["meta"]


def test_export_of_a_stopped_run_takes_the_last_checkpoint(
    capsys: pytest.CaptureFixture[str], run: Path, tmp_path: Path
) -> None:
    stopped = copy_run(run, tmp_path / "stopped")
    (stopped / "model.pt").unlink()  # as a run stopped before it finished
    out_path = tmp_path / "model.pt"
    code, out, err = cli(capsys, "export", stopped, "--format", "checkpoint", "-o", out_path)
    assert code == 0, err
    assert f"weights from the last checkpoint (epoch {EPOCHS}) of {stopped}" in out
    written = torch.load(out_path, weights_only=True)
    last = torch.load(stopped / "checkpoint.pt", weights_only=True)["model"]
    assert written["state_dict"].keys() == last.keys()
    assert all(torch.equal(written["state_dict"][k], last[k]) for k in last)
    info = run_info(run)
    assert written["meta"]["mean"] == info["dataset"]["mean"]
    assert written["meta"]["std"] == info["dataset"]["std"]
    assert written["meta"]["trained"] is True


def test_a_run_stopped_within_an_epoch_says_how_far_it_got(
    capsys: pytest.CaptureFixture[str], user: Path, tmp_path: Path
) -> None:
    from resnet_studio.training.events import StepMetrics
    from resnet_studio.training.launch import new_run
    from resnet_studio.training.recipe import Recipe

    data = load_dataset(f"folder:{user / 'shapes'}", seed=SEED)
    recipe = Recipe(epochs=3, batch_size=16, threads=2, log_every=4, seed=SEED)
    handle = new_run(tiny_network(), data, recipe, tmp_path / "stopped", name="stopped")

    def stop(event) -> None:
        if isinstance(event, StepMetrics) and event.iteration >= 24:  # 16 steps an epoch
            handle.cancel()

    assert handle.run([stop]).status == "stopped"
    stopped = json.loads((tmp_path / "stopped" / "metrics.jsonl").read_text().splitlines()[-1])
    assert stopped["event"] == "Cancelled" and 1 < stopped["epoch"] < 2
    code, out, err = cli(
        capsys, "export", tmp_path / "stopped", "--format", "checkpoint", "-o", tmp_path / "m.pt"
    )
    assert code == 0, err
    # As far as training said it got, not the last whole epoch.
    assert f"weights from the last checkpoint (epoch {stopped['epoch']:.2f}) of" in out


def make_old(run: Path, to: Path, model: str) -> Path:
    """A copy of ``run`` as written before the normalisation was recorded."""
    old = copy_run(run, to)
    info = run_info(old)
    del info["dataset"]["mean"], info["dataset"]["std"]
    (old / "run.json").write_text(json.dumps(info))
    if model == "no model.pt":
        (old / "model.pt").unlink()
    else:
        data = torch.load(old / "model.pt", weights_only=True)
        del data["meta"]
        torch.save(data, old / "model.pt")
    return old


@pytest.mark.parametrize("model", ["model.pt without meta", "no model.pt"])
@pytest.mark.parametrize("which", ["folder", "mnist"])
def test_export_of_an_old_run_recomputes_its_statistics(
    capsys: pytest.CaptureFixture[str], request, tmp_path: Path, which: str, model: str
) -> None:
    run = request.getfixturevalue("run" if which == "folder" else "mnist_run")
    old = make_old(run, tmp_path / "old", model)
    out_path = tmp_path / "model.pt"
    code, out, err = cli(capsys, "export", old, "--format", "checkpoint", "-o", out_path)
    assert code == 0, err
    meta = checkpoint_meta(out_path)
    info = run_info(run)
    # A pure function of the data and the run's seed: exactly what the run trained with.
    assert (meta["mean"], meta["std"]) == (info["dataset"]["mean"], info["dataset"]["std"])
    if which == "mnist":  # another seed holds out other images: other statistics
        other = load_dataset("mnist", info["dataset"]["root"], seed=0)
        assert list(other.mean) != meta["mean"]
    assert meta["trained"] is True and meta["categories"] == info["dataset"]["class_names"]


@pytest.mark.parametrize("model", ["model.pt without meta", "no model.pt"])
@pytest.mark.parametrize("which", ["folder", "mnist"])
def test_export_of_an_old_run_without_its_data_is_refused(
    capsys: pytest.CaptureFixture[str], request, tmp_path: Path, which: str, model: str
) -> None:
    run = request.getfixturevalue("run" if which == "folder" else "mnist_run")
    old = make_old(run, tmp_path / "old", model)
    info = run_info(old)
    # The data is not where it was any more: a torchvision set's root, or the image folder.
    moved = tmp_path / "moved"
    now = info["dataset"]["root"]
    info["dataset"]["root"] = str(moved)
    if which == "folder":
        info["dataset"]["name"] = f"folder:{moved}"
    (old / "run.json").write_text(json.dumps(info))
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    for fmt, name in (("checkpoint", "model.pt"), ("torchscript", "model.pt"), ("onnx", "m.onnx")):
        code, out, err = cli(capsys, "export", old, "--format", fmt, "-o", out_dir / name)
        assert_one_line_error(
            code,
            err,
            "does not record the input normalisation",
            "cannot be recomputed",
            "--data-root",
        )
        assert out == "" and list(out_dir.iterdir()) == []  # nothing written, not even in part
    # Told where the data is now, as the message asks: the statistics it trained with.
    code, _, err = cli(
        capsys, "export", old, "--format", "checkpoint", "-o", out_dir / "model.pt",
        "--data-root", now,
    )  # fmt: skip
    assert code == 0, err
    meta = checkpoint_meta(out_dir / "model.pt")
    original = run_info(run)["dataset"]
    assert (meta["mean"], meta["std"]) == (original["mean"], original["std"])


@pytest.mark.parametrize("fmt", ["checkpoint", "torchscript"])
def test_untrained_export_of_a_project_says_so(
    capsys: pytest.CaptureFixture[str], user: Path, tmp_path: Path, fmt: str
) -> None:
    out_path = tmp_path / "model.pt"
    code, out, err = cli(capsys, "export", user / "tiny.json", "--format", fmt, "-o", out_path)
    assert code == 0, err
    assert "untrained" in out
    if fmt == "checkpoint":
        meta = checkpoint_meta(out_path)
    else:
        extra = {"resnet_studio/meta.json": ""}
        torch.jit.load(str(out_path), _extra_files=extra)
        meta = json.loads(extra["resnet_studio/meta.json"])
    assert meta["trained"] is False
    assert meta["mean"] is None and meta["std"] is None
    assert meta["normalized_inside"] is False
    assert meta["categories"] == [str(i) for i in range(10)]
