"""``resnet-studio evaluate``'s work against a bare ``torch.no_grad()`` loop, in one process.

A ResNet-20 is trained briefly on MNIST from ``../shared/data`` (``--subset``
images, one epoch, into a temporary run folder; or give ``--run RUNDIR``),
then both sides go over MNIST's 10,000 test images with that run's model:

- evaluate: exactly what the command runs once the model and the images are
  loaded: :func:`evaluate` (uint8 batches of 256 made [0, 1] floats, the
  model with its normalisation in front, softmax, top-5, the confusion
  matrix, the loss, the worst mistakes) and then :func:`write_report` (JSON,
  confusion CSV and PNG, the PNG sheet of the worst images) into a temporary
  folder, with a progress callback as the command's progress bar has;
- bare: the same model (the bare network, eval mode) called under
  ``torch.no_grad()`` on the same images, already normalised to float32
  before the clock starts, in the same batches of 256: the least work that
  still runs every image through the network.

Rounds alternate evaluate/bare, then bare/evaluate, after an untimed warm-up
of each; each side's images/s is 10,000 over its fastest round (other load
on the machine only ever slows a round, so the fastest is the closest to the
work itself; the medians are printed too). Loading torch,
the model and the data set is the same for both and outside the clock; the
whole command's time from a fresh process is printed too, for the record.

Run: ``python bench/evaluate.py [--rounds 6]`` (about 3 minutes on 2 cores).
Goal: evaluate at least 0.95 of the bare loop's images/s; exits 1 when missed.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from a plain checkout

import torch  # noqa: E402

GOAL = 0.95
BATCH = 256
DATA = Path(__file__).resolve().parents[2] / "shared" / "data"


def train_run(folder: Path, subset: int) -> Path:
    """A ResNet-20 trained for one epoch on ``subset`` MNIST images (the CLI, as a user)."""
    run = folder / "run"
    subprocess.run(
        [sys.executable, "-m", "resnet_studio", "train", "--preset", "cifar-resnet20",
         "--dataset", "mnist", "--data-root", str(DATA), "--subset", str(subset),
         "--epochs", "1", "--out", str(run)],
        check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    return run


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--run", type=Path, help="a finished MNIST run folder to use")
    parser.add_argument("--subset", type=int, default=8192)
    parser.add_argument("--rounds", type=int, default=6)
    args = parser.parse_args()

    from resnet_studio.model.predictor import module_predictor
    from resnet_studio.training.evaluation import evaluate, evaluation_data
    from resnet_studio.training.report_files import write_report
    from resnet_studio.training.run_weights import run_weights
    from resnet_studio.training.runs import read_run

    torch.set_num_threads(os.cpu_count() or 1)  # as the command: every core, both sides
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        run = args.run or train_run(tmp_path, args.subset)
        weights = run_weights(run)
        predictor = module_predictor(weights.network, weights.model, weights.meta, "cpu")
        data, name = evaluation_data(weights.meta, "test", run_info=read_run(run).info)
        images = len(data)
        model = weights.model.eval()
        mean = torch.tensor(weights.meta.mean).view(1, -1, 1, 1)
        std = torch.tensor(weights.meta.std).view(1, -1, 1, 1)
        normalised = (data.images.float() / 255 - mean) / std  # untimed: the bare side's input

        def bare() -> float:
            started = time.perf_counter()
            with torch.no_grad():
                for start in range(0, images, BATCH):
                    model(normalised[start : start + BATCH])
            return time.perf_counter() - started

        reports = []

        def ours() -> float:
            started = time.perf_counter()
            report = evaluate(predictor, data, dataset=name, progress=lambda done, total: None)
            write_report(report, tmp_path / "report")
            reports.append(report)
            return time.perf_counter() - started

        ours(), bare()  # warm-up
        ours_times, bare_times = [], []
        for round_ in range(args.rounds):
            pair = (ours, bare) if round_ % 2 == 0 else (bare, ours)
            for side in pair:
                (ours_times if side is ours else bare_times).append(side())
        written = sorted(p.name for p in (tmp_path / "report").iterdir())

        command = [sys.executable, "-m", "resnet_studio", "evaluate", str(run), "-o",
                   str(tmp_path / "cli")]  # fmt: skip
        started = time.perf_counter()
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        whole = time.perf_counter() - started

    ours_rate = images / min(ours_times)
    bare_rate = images / min(bare_times)
    ratio = ours_rate / bare_rate
    median_ratio = statistics.median(bare_times) / statistics.median(ours_times)
    report = reports[-1]
    threads = torch.get_num_threads()
    print(
        f"ResNet-20 on {name} test: {images:,} images, error {report.error:.2%}, "
        f"{threads} threads, batches of {BATCH}, {args.rounds} rounds"
    )
    print(
        f"  round times (s): evaluate {[round(t, 2) for t in ours_times]}, "
        f"bare {[round(t, 2) for t in bare_times]}"
    )
    print(f"  evaluate (report and pictures included): {ours_rate:,.0f} images/s")
    print(f"  bare torch.no_grad() loop:                {bare_rate:,.0f} images/s")
    print(f"  (from the median rounds instead: {median_ratio:.3f} of the bare loop)")
    print(f"  wrote {', '.join(written)} every round")
    print(f"  the whole command in a fresh process (torch, model and data loading): {whole:.1f} s")
    ok = ratio >= GOAL
    print(f"evaluate: {ratio:.3f} of the bare loop (goal >= {GOAL}): {'met' if ok else 'MISSED'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
