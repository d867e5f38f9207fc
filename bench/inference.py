"""Analytic inference versus torchinfo: how much faster is the layers table?

DESIGN.md §3 promises the analytic pass gives torchinfo's numbers "hundreds of
times faster". This times both on the deepest presets and fails when a goal is
missed:

- ``infer(network)``: median of 25 runs after a warm-up;
- ``torchinfo.summary(model, (1, C, H, W), device="cpu", verbose=0)``: median of
  3 runs, on a model built once beforehand (building is not timed).

Run from the repository root::

    python bench/inference.py

It prints one line per network and exits with status 1 if any ratio is below
its goal (100× for cifar-resnet1202, 50× for resnet152).
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from a plain checkout

import torch  # noqa: E402
import torchinfo  # noqa: E402

from resnet_studio.arch.inference import infer  # noqa: E402
from resnet_studio.arch.presets import preset_network  # noqa: E402
from resnet_studio.model.build import build_model  # noqa: E402

# (preset, minimum speed-up)
GOALS = (("cifar-resnet1202", 100), ("resnet152", 50))
INFER_RUNS = 25
TORCHINFO_RUNS = 3


def median_seconds(fn, runs: int) -> float:
    """Median wall time of ``fn()`` over ``runs`` calls."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def bench(key: str, goal: int) -> bool:
    """Time both ways for preset ``key``, print one line, return whether the goal is met."""
    network = preset_network(key)
    summary = infer(network)  # warm-up
    analytic = median_seconds(lambda: infer(network), INFER_RUNS)

    model = build_model(network)
    size = (1, *network.input_shape)
    stats = None

    def run_torchinfo() -> None:
        nonlocal stats
        stats = torchinfo.summary(model, size, device="cpu", verbose=0)

    reference = median_seconds(run_torchinfo, TORCHINFO_RUNS)
    # A fast wrong answer is no answer: the totals must agree.
    same = (summary.total_params, summary.total_macs) == (stats.total_params, stats.total_mult_adds)
    ratio = reference / analytic
    ok = ratio >= goal and same
    print(
        f"{key}: analytic {analytic * 1e3:,.1f} ms, torchinfo {reference * 1e3:,.0f} ms"
        f" -> {ratio:,.0f}x faster (goal >= {goal}x)"
        + ("" if same else " -- TOTALS DIFFER from torchinfo")
        + ("" if ok else "  MISSED"),
        flush=True,
    )
    return ok


def main() -> int:
    print(
        f"torch {torch.__version__}, torchinfo {torchinfo.__version__}, "
        f"{torch.get_num_threads()} CPU threads; batch 1, device cpu",
        flush=True,
    )
    results = [bench(key, goal) for key, goal in GOALS]
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
