"""A new user's trained models work anywhere: in plain Python that cannot import the program.

As a new user would, offline, from the clone with the data in ../shared/data:
train ResNet-20 with the command line on MNIST and on the CIFAR-10 subset (an
image folder whose classes have names), export each run as TorchScript, ONNX
and a checkpoint, and load every file in a fresh interpreter where ``import
resnet_studio`` fails. That script reads the class names (and, for the
checkpoint, mean and std) from the file itself, reads the raw test images its
own way, feeds them in [0, 1] and counts the errors. The checkpoint runs in the
script's own ResNet-20, written in plain torch: a checkpoint must work with a
user's own code. The test error must be within 2 points of what
``resnet-studio evaluate FILE`` reports and of the test error the run recorded.

The processes run two at a time with one thread each: the machine these tests
were written for has two cores.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from tests.plain_python import WITHOUT_RESNET_STUDIO
from tests.training.cli_helpers import TIMEOUT, Result, user_env

REPOSITORY = Path(__file__).resolve().parents[2]
FORMATS = {"torchscript": "model.pt", "onnx": "model.onnx", "checkpoint": "checkpoint.pt"}
DATASETS = ("mnist", "cifar")
TOLERANCE = 0.02  # test error, plain Python against the program's own numbers
AT_ONCE = 2  # processes side by side: one per core
CIFAR_CLASSES = [
    "airplane",
    "automobile",
    "bird",
    "cat",
    "deer",
    "dog",
    "frog",
    "horse",
    "ship",
    "truck",
]

# Run as ``python -c PLAIN_PYTHON FORMAT MODEL_FILE mnist|folder DATA``; prints one JSON line.
PLAIN_PYTHON = WITHOUT_RESNET_STUDIO + textwrap.dedent(
    """
    import json
    import os
    import sys
    from pathlib import Path

    import numpy as np
    import torch
    import torch.nn.functional as F
    from torch import nn

    fmt, model_path, data_kind, data_path = sys.argv[1:5]
    KEY = "resnet_studio/meta.json"


    class ZeroPad(nn.Module):
        # The paper's option A shortcut: subsample, then append zero channels.
        def __init__(self, stride, extra):
            super().__init__()
            self.stride, self.extra = stride, extra

        def forward(self, x):
            return F.pad(x[:, :, :: self.stride, :: self.stride], (0, 0, 0, 0, 0, self.extra))


    class BasicBlock(nn.Module):
        def __init__(self, cin, cout, stride):
            super().__init__()
            self.conv1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False)
            self.bn1 = nn.BatchNorm2d(cout)
            self.conv2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False)
            self.bn2 = nn.BatchNorm2d(cout)
            self.shortcut = ZeroPad(stride, cout - cin)  # no weights

        def forward(self, x):
            out = F.relu(self.bn1(self.conv1(x)))
            out = self.bn2(self.conv2(out))
            return F.relu(out + self.shortcut(x))


    class ResNet20(nn.Module):
        def __init__(self, channels, classes):
            super().__init__()
            self.conv1 = nn.Conv2d(channels, 16, 3, 1, 1, bias=False)
            self.bn1 = nn.BatchNorm2d(16)
            stages, cin = [], 16
            for cout, stride in ((16, 1), (32, 2), (64, 2)):
                blocks = [BasicBlock(cin, cout, stride), BasicBlock(cout, cout, 1)]
                stages.append(nn.Sequential(*blocks, BasicBlock(cout, cout, 1)))
                cin = cout
            self.layer1, self.layer2, self.layer3 = stages
            self.fc = nn.Linear(64, classes)

        def forward(self, x):
            x = F.relu(self.bn1(self.conv1(x)))
            x = self.layer3(self.layer2(self.layer1(x)))
            return self.fc(torch.flatten(F.adaptive_avg_pool2d(x, 1), 1))


    threads = int(os.environ.get("OMP_NUM_THREADS", "0"))
    if fmt == "torchscript":
        extra = {KEY: ""}
        module = torch.jit.load(model_path, _extra_files=extra)
        meta = json.loads(extra[KEY])
        run = lambda x: module(torch.from_numpy(x)).numpy()
    elif fmt == "onnx":
        import onnxruntime as ort

        options = ort.SessionOptions()
        options.intra_op_num_threads = threads
        session = ort.InferenceSession(model_path, options, providers=["CPUExecutionProvider"])
        meta = json.loads(session.get_modelmeta().custom_metadata_map[KEY])
        name = session.get_inputs()[0].name
        run = lambda x: session.run(None, {name: x})[0]
    else:
        checkpoint = torch.load(model_path, weights_only=True)
        meta = checkpoint["meta"]
        net = ResNet20(meta["input_shape"][0], len(meta["categories"]))
        net.load_state_dict(checkpoint["state_dict"], strict=True)
        net.eval()
        # A bare network: normalise as the file says.
        mean = np.array(meta["mean"], dtype=np.float32).reshape(1, -1, 1, 1)
        std = np.array(meta["std"], dtype=np.float32).reshape(1, -1, 1, 1)
        run = lambda x: net(torch.from_numpy((x - mean) / std)).numpy()

    names = meta["categories"]
    if data_kind == "mnist":
        import torchvision

        test = torchvision.datasets.MNIST(data_path, train=False)
        images = test.data.numpy()[:, None]
        # The file names its outputs; an MNIST label is the digit itself.
        output_of_digit = np.array([names.index(str(digit)) for digit in range(10)])
        labels = output_of_digit[test.targets.numpy()]
    else:
        from PIL import Image

        files = sorted(Path(data_path, "test").glob("*/*.png"))
        images = np.stack(
            [np.asarray(Image.open(f).convert("RGB")).transpose(2, 0, 1) for f in files]
        )
        # A folder's name is its class; the file says which output that is.
        labels = np.array([names.index(f.parent.name) for f in files])
    assert images.dtype == np.uint8 and list(images.shape[1:]) == meta["input_shape"]

    predicted = []
    with torch.no_grad():
        for start in range(0, len(images), 500):
            x = images[start : start + 500].astype(np.float32) / 255
            assert x.min() >= 0 and x.max() <= 1
            predicted.append(run(x).argmax(axis=1))
    predicted = np.concatenate(predicted)
    wrong = predicted != labels
    print(
        json.dumps(
            {
                "meta": meta,
                "images": len(labels),
                "error": float(wrong.mean()),
                "classes": {
                    name: [int((labels == i).sum()), int(wrong[labels == i].sum())]
                    for i, name in enumerate(names)
                },
                "modules": sorted(m for m in sys.modules if m.partition(".")[0] == "resnet_studio"),
            }
        )
    )
    """
)


def run_process(argv: list, env: dict[str, str], cwd: Path) -> Result:
    done = subprocess.run(
        [str(a) for a in argv],
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        cwd=cwd,
        env=env,
        check=False,
    )
    return Result(done.returncode, done.stdout, done.stderr)


def cli(*argv: object) -> list:
    """The command line of ``resnet-studio ARGV``."""
    return [sys.executable, "-m", "resnet_studio", *argv]


def side_by_side(jobs: dict, run) -> dict:
    """``run(job)`` for every job, ``AT_ONCE`` at a time; results by key."""
    with ThreadPoolExecutor(AT_ONCE) as pool:
        futures = {key: pool.submit(run, job) for key, job in jobs.items()}
        return {key: future.result() for key, future in futures.items()}


@pytest.fixture(scope="module")
def user(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    """A new user's folder and environment: one thread a process, for running two at once."""
    base = tmp_path_factory.mktemp("user")
    return base, {**user_env(base), "OMP_NUM_THREADS": "1", "PYTHONWARNINGS": "ignore"}


@pytest.fixture(scope="module")
def runs(user, shared_data: Path) -> dict[str, Path]:
    """ResNet-20 trained for an epoch on 1,024 images of each data set, with the CLI.

    From the clone, with the data given as ``../shared/data``, as a new user would.
    """
    base, env = user
    data = os.path.relpath(shared_data, REPOSITORY)
    sources = {
        "mnist": ("--dataset", "mnist", "--data-root", data),
        "cifar": ("--dataset", f"folder:{os.path.join(data, 'cifar10-subset')}"),
    }
    # Adam with small batches: an epoch of 1,024 images then gets well below chance.
    recipe = ("--subset", 1024, "--epochs", 1, "--batch-size", 16, "--optimizer", "adam")
    recipe += ("--lr", 0.002, "--schedule", "constant", "--threads", 1)
    results = side_by_side(
        {
            name: cli("train", "--preset", "cifar-resnet20", *args, *recipe, "--out", base / name)
            for name, args in sources.items()
        },
        lambda argv: run_process(argv, env, REPOSITORY),
    )
    for result in results.values():
        assert result.code == 0, result.err
        assert "finished: " in result.out
    return {name: base / name for name in sources}


@pytest.fixture(scope="module")
def exported(user, runs: dict[str, Path]) -> dict[tuple[str, str], Path]:
    """Every run exported in every format with ``resnet-studio export RUNDIR``."""
    base, env = user
    files = {
        (data, fmt): base / "exports" / data / file
        for data in runs
        for fmt, file in FORMATS.items()
    }
    for path in files.values():
        path.parent.mkdir(parents=True, exist_ok=True)
    results = side_by_side(
        {
            key: cli("export", runs[key[0]], "--format", key[1], "-o", path)
            for key, path in files.items()
        },
        lambda argv: run_process(argv, env, base),
    )
    for (data, fmt), result in results.items():
        assert result.code == 0, result.err
        assert result.out.startswith(f"wrote {files[data, fmt]} ({fmt}, cifar-resnet20, ")
        assert f"weights from the finished model of {runs[data]}" in result.out
    return files


@pytest.fixture(scope="module")
def results(
    user, shared_data: Path, exported: dict[tuple[str, str], Path]
) -> dict[tuple[str, str], tuple[Result, Result]]:
    """What plain Python and ``evaluate --json`` made of every exported file."""
    base, env = user
    data_args = {
        "mnist": ("mnist", shared_data),
        "cifar": ("folder", shared_data / "cifar10-subset"),
    }
    jobs = {}
    for (data, fmt), path in exported.items():
        jobs["plain", data, fmt] = [sys.executable, "-c", PLAIN_PYTHON, fmt, path, *data_args[data]]
        jobs["evaluate", data, fmt] = cli("evaluate", path, "--data-root", shared_data, "--json")

    # Not in the repository: nothing there to import from the working folder.
    done = side_by_side(jobs, lambda argv: run_process(argv, env, base))
    return {key: (done["plain", *key], done["evaluate", *key]) for key in exported}


def outputs(results: dict, data: str, fmt: str) -> tuple[dict, dict]:
    """What plain Python and ``evaluate --json`` printed for one file; each must have worked."""
    plain, evaluated = results[data, fmt]
    assert plain.code == 0, plain.err
    assert evaluated.code == 0, evaluated.err
    return json.loads(plain.out), json.loads(evaluated.out)


def run_info(run: Path) -> dict:
    return json.loads((run / "run.json").read_text())


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("data", DATASETS)
def test_plain_python_gets_the_error_evaluate_reports(
    data: str, fmt: str, runs: dict[str, Path], results: dict
) -> None:
    plain, evaluated = outputs(results, data, fmt)
    assert plain["modules"] == []  # the program was never imported
    info = run_info(runs[data])
    # The whole test split the program used, not a sample.
    assert plain["images"] == evaluated["images"] == info["test"]["images"]
    assert plain["images"] == info["dataset"]["test_images"]
    assert plain["images"] == (10_000 if data == "mnist" else 1_017)
    assert evaluated["split"] == "test"
    assert abs(plain["error"] - evaluated["error"]) <= TOLERANCE, (plain["error"], evaluated)
    assert abs(plain["error"] - info["test"]["error"]) <= TOLERANCE, (plain["error"], info["test"])
    # Trained, not guessing: ten classes are 90% wrong by chance.
    assert plain["error"] < (0.6 if data == "mnist" else 0.85)
    # Each class, by the name the file gives it, holds the images evaluate counts for it.
    assert list(plain["classes"]) == [c["name"] for c in evaluated["classes"]]
    for entry in evaluated["classes"]:
        images, wrong = plain["classes"][entry["name"]]
        assert images == entry["images"], entry
        assert abs(wrong - entry["error"] * images) <= TOLERANCE * images, entry


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("data", DATASETS)
def test_the_file_says_how_to_feed_it_and_names_its_classes(
    data: str, fmt: str, shared_data: Path, runs: dict[str, Path], results: dict
) -> None:
    plain = results[data, fmt][0]
    assert plain.code == 0, plain.err
    meta = json.loads(plain.out)["meta"]  # as plain Python read it from the file
    info = run_info(runs[data])
    names = [str(d) for d in range(10)] if data == "mnist" else CIFAR_CLASSES
    assert meta["categories"] == info["dataset"]["class_names"] == names
    assert meta["input_shape"] == info["network"]["input_shape"]
    assert meta["input_shape"] == ([1, 28, 28] if data == "mnist" else [3, 32, 32])
    assert meta["input_range"] == [0, 1]
    assert meta["mean"] == info["dataset"]["mean"] and meta["std"] == info["dataset"]["std"]
    assert len(meta["mean"]) == meta["input_shape"][0]
    folder = f"folder:{(shared_data / 'cifar10-subset').resolve()}"
    assert meta["dataset"] == info["dataset"]["name"] == ("mnist" if data == "mnist" else folder)
    assert meta["trained"] is True
    # TorchScript and ONNX take [0, 1] and normalise inside; a checkpoint is the bare network.
    assert meta["normalized_inside"] is (fmt != "checkpoint")


def test_the_run_records_where_its_data_is(runs: dict[str, Path]) -> None:
    root = Path(run_info(runs["mnist"])["dataset"]["root"])
    assert root.is_absolute() and (root / "MNIST" / "raw").is_dir()
