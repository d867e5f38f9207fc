"""Import speed: torchvision's ResNet-152 through the importer vs torchinfo.summary.

The import is the whole of it: the torch.fx trace and its one run for shapes, the
mapping to a spec, our build with the renamed weights and the exactness check (a
second forward pass, compared with the first). ``torchinfo.summary`` of the same
model and input size runs in the same process, after one untimed warm-up of each.

Run from the repository root::

    python bench/import.py                 # input 3×64×64 (default)
    python bench/import.py --input 3,224,224 --rounds 3
    python bench/import.py --threads 1     # both sides on one core

Prints both times (the best of ``--rounds``) and their ratio, e.g. ``import 0.9 s
(exact); torchinfo.summary 1.1 s -> 0.82x (goal <= 1x and < 2 s)``, and exits 1
when a goal is missed.
"""

from __future__ import annotations

import argparse
import sys
import time

import torch
import torchinfo
import torchvision

from resnet_studio.importer.api import import_module

GOAL_RATIO = 1.0
GOAL_SECONDS = 2.0


def best_of(rounds: int, run) -> tuple[float, object]:
    """The shortest of ``rounds`` timed calls, and the last result."""
    times = []
    result = None
    for _ in range(rounds):
        start = time.perf_counter()
        result = run()
        times.append(time.perf_counter() - start)
    return min(times), result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--input", default="3,64,64", metavar="C,H,W")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--threads", type=int, help="torch threads for both (default: torch's)")
    args = parser.parse_args(argv)
    if args.rounds < 1:
        parser.error("--rounds: at least 1")
    if args.threads is not None:
        torch.set_num_threads(args.threads)
    shape = tuple(int(v) for v in args.input.split(","))
    model = torchvision.models.resnet152(weights=None)

    def do_import():
        return import_module(model, shape, source="torchvision:resnet152")

    def do_summary():
        return torchinfo.summary(model, (1, *shape), device="cpu", verbose=0)

    do_import(), do_summary()  # warm-up: first calls pay for lazy imports and caches
    ours, result = best_of(args.rounds, do_import)
    theirs, _ = best_of(args.rounds, do_summary)
    ratio = ours / theirs
    verdict = "exact" if result.report.exact else "NOT exact"
    print(
        f"ResNet-152, input {'×'.join(map(str, shape))}, {torch.get_num_threads()} threads: "
        f"import {ours:.2f} s ({verdict}); torchinfo.summary {theirs:.2f} s -> {ratio:.2f}x "
        f"(goal <= {GOAL_RATIO:g}x and < {GOAL_SECONDS:g} s)"
    )
    ok = result.report.exact and ratio <= GOAL_RATIO and ours < GOAL_SECONDS
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
