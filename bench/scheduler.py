"""The experiment scheduler, K runs at a time, against the same runs one after another.

The same four runs both ways: ResNet-20 and plain-20 (CIFAR, full width), seeds
0 and 1, on the built-in synthetic images (``--subset`` of them), a fixed number
of iterations. Each run is a ``resnet-studio train`` process, as the scheduler
starts it:

- scheduler: K at a time (default: as many as there are cores), the cores
  shared out (``--threads`` = cores ÷ K each);
- sequential: one at a time with every core (``--threads`` = cores), which is
  what a user gets running the four ``train`` commands in a row.

Both sides pay the same process start-ups, data loading and test passes, so the
ratio is the scheduler's gain from sharing out the cores. The two sides run
alternately (``--rounds``), each in a fresh experiment folder; the fastest round
of each side counts (load on the machine only ever slows a round).

Run: ``python bench/scheduler.py [--iterations 60] [--rounds 2] [--parallel K]``
(about 8 minutes on 2 cores). Goal on a CPU: the scheduler's total wall time at
most 1.05× the sequential time; exits 1 when missed. With a GPU (``--device
cuda``, K=4 by default there) it should be faster than sequential: say so.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from a plain checkout

from resnet_studio.training.experiment import (  # noqa: E402
    ExperimentSpec,
    create_experiment,
    experiment_networks,
)
from resnet_studio.training.scheduler import Scheduler  # noqa: E402

GOAL = 1.05


def run_once(folder: Path, spec: ExperimentSpec, parallel: int, threads: int, device: str):
    """Wall time of the four runs through the scheduler with ``parallel`` at a time."""
    networks = experiment_networks(spec, fit=lambda n: n)
    experiment = create_experiment(
        folder, spec, networks, data_root=folder.parent, dataset="synthetic",
        subset=spec.subset, device=device,
    )  # fmt: skip
    started = time.perf_counter()
    states = Scheduler(experiment, parallel, threads).run()
    seconds = time.perf_counter() - started
    failed = [s.cell.key for s in states.values() if s.status != "finished"]
    if failed:
        raise SystemExit(f"runs did not finish: {failed} (see {folder}/output)")
    return seconds


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--iterations", type=int, default=60)
    parser.add_argument("--subset", type=int, default=4096)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--device", default="cpu")
    parser.add_argument("--parallel", type=int, help="K (default: cores on CPU, 4 on a GPU)")
    args = parser.parse_args()
    cores = os.cpu_count() or 1
    gpu = args.device.startswith("cuda")
    k = args.parallel or (4 if gpu else cores)
    spec = ExperimentSpec(
        "bench", depths=(20,), seeds=(0, 1), dataset="synthetic", subset=args.subset,
        recipe={"iterations": args.iterations},
    )  # fmt: skip
    print(
        f"4 runs (ResNet-20, plain-20 × 2 seeds), {args.iterations} iterations of 128 "
        f"synthetic images, on {args.device}, {cores} cores"
    )
    times: dict[str, list[float]] = {"scheduler": [], "sequential": []}
    with tempfile.TemporaryDirectory() as tmp:
        for r in range(args.rounds):
            sides = ["scheduler", "sequential"] if r % 2 == 0 else ["sequential", "scheduler"]
            for side in sides:
                parallel, threads = (k, max(1, cores // k)) if side == "scheduler" else (1, cores)
                seconds = run_once(Path(tmp) / f"{side}-{r}", spec, parallel, threads, args.device)
                times[side].append(seconds)
                print(f"  round {r + 1} {side}: {seconds:.1f} s ({parallel} at a time, "
                      f"{threads} threads each)")  # fmt: skip
    best = {side: min(t) for side, t in times.items()}
    ratio = best["scheduler"] / best["sequential"]
    print(
        f"scheduler K={k}: {best['scheduler']:.1f} s; sequential: {best['sequential']:.1f} s; "
        f"ratio {ratio:.2f} of the sequential time ({'goal: < 1' if gpu else f'goal ≤ {GOAL}'})"
    )
    return 0 if ratio <= (1.0 if gpu else GOAL) else 1


if __name__ == "__main__":
    raise SystemExit(main())
