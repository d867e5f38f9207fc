"""Import speed: torchvision's ResNet-152 through the importer vs torchinfo.summary.

The import is the whole of it: the torch.fx trace and its one run for shapes, the
mapping to a spec, our build with the renamed weights and the exactness check (a
second forward pass, compared with the first). ``torchinfo.summary`` of the same
model and input size runs in the same process, after one untimed warm-up of each.

Beside them it times a floor: ``torch.fx.symbolic_trace`` of the model and two bare
forward passes of one image without gradients, the least an importer can run that
reads a Python model's graph and compares outputs (torchinfo runs one forward pass).
The floor shows how near the importer is to what such a check costs at all.

Run from the repository root::

    python bench/import.py                 # input 3×64×64 (default)
    python bench/import.py --input 3,224,224 --rounds 3
    python bench/import.py --threads 1     # both sides on one core

Prints the three times (the best of ``--rounds``) and their ratios to torchinfo, e.g.
``import 0.23 s (exact); torchinfo.summary 0.08 s -> 2.90x (goal <= 1x and < 2 s);
floor (fx trace + 2 bare forwards) 0.11 s -> 1.43x``, and exits 1 when a goal is
missed.
"""

from __future__ import annotations

import argparse
import sys
import time

import torch
import torchinfo
import torchvision
from torch import fx

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

    one_image = torch.randn(1, *shape)

    def do_floor():
        fx.symbolic_trace(model)
        model.eval()
        with torch.no_grad():
            model(one_image), model(one_image)
        model.train()

    do_import(), do_summary(), do_floor()  # warm-up: lazy imports and caches
    ours, result = best_of(args.rounds, do_import)
    theirs, _ = best_of(args.rounds, do_summary)
    floor, _ = best_of(args.rounds, do_floor)
    ratio = ours / theirs
    verdict = "exact" if result.report.exact else "NOT exact"
    print(
        f"ResNet-152, input {'×'.join(map(str, shape))}, {torch.get_num_threads()} threads: "
        f"import {ours:.2f} s ({verdict}); torchinfo.summary {theirs:.2f} s -> {ratio:.2f}x "
        f"(goal <= {GOAL_RATIO:g}x and < {GOAL_SECONDS:g} s); "
        f"floor (fx trace + 2 bare forwards) {floor:.2f} s -> {floor / theirs:.2f}x"
    )
    ok = result.report.exact and ratio <= GOAL_RATIO and ours < GOAL_SECONDS
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
