"""``resnet-studio experiment show`` on an experiment of 1,000 finished runs.

The experiment: CIFAR plain and residual nets at depths 20, 32, 44, 56 and 110,
100 seeds each (1,000 cells). One real run is trained first (a quarter-width
plain-20, 441 iterations of 8 synthetic images: a quick study's length, so its
metrics.jsonl has as many lines as a quick study's runs), and every cell's run
folder is a copy of it (run.json, metrics.jsonl, responses.json) with the cell's
own name, seed and network in run.json.

Measured, fastest of ``--rounds``:

- show: the whole command in a fresh process (``python -m resnet_studio
  experiment show DIR``), start-up, reading every run folder, the table and
  the verdict included;
- baseline: the least reading there is, in a fresh process too: every
  run.json and every line of every metrics.jsonl through ``json.loads``, and
  nothing else.

Run: ``python bench/experiment_show.py [--rounds 3]`` (about 2 minutes on 2 cores).
Goal: show in under 2 s; exits 1 when missed.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from a plain checkout

from resnet_studio.arch.project import network_to_dict, project_from_json  # noqa: E402
from resnet_studio.training.experiment import (  # noqa: E402
    ExperimentSpec,
    create_experiment,
    experiment_networks,
)

GOAL_S = 2.0
BASELINE = """
import json, sys
from pathlib import Path
for run in sorted((Path(sys.argv[1]) / "cells").iterdir()):
    json.loads((run / "run.json").read_text())
    for line in (run / "metrics.jsonl").read_text().splitlines():
        json.loads(line)
"""


def template_run(folder: Path) -> Path:
    run = folder / "template"
    subprocess.run(
        [sys.executable, "-m", "resnet_studio", "train", "--preset", "cifar-plain20",
         "--dataset", "synthetic", "--subset", "256", "--iterations", "441",
         "--batch-size", "8", "--threads", "1", "--out", str(run)],
        check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    return run


def make_experiment(folder: Path, template: Path) -> Path:
    spec = ExperimentSpec(
        "thousand", depths=(20, 32, 44, 56, 110), seeds=tuple(range(100)), dataset="synthetic",
        recipe={"iterations": 441, "batch_size": 8},
    )  # fmt: skip
    networks = experiment_networks(spec, fit=lambda n: n)
    experiment = create_experiment(
        folder / "thousand", spec, networks, data_root=folder, dataset="synthetic", subset=256
    )
    info = json.loads((template / "run.json").read_text())
    for cell in experiment.cells:
        target = experiment.cell_dir(cell)
        target.mkdir()
        shutil.copy(template / "metrics.jsonl", target / "metrics.jsonl")
        shutil.copy(template / "responses.json", target / "responses.json")  # for Fig. 7
        network = project_from_json(experiment.network_file(cell).read_text())
        cell_info = {**info, "name": cell.key, "seed": cell.seed}
        cell_info["network"] = network_to_dict(network)
        (target / "run.json").write_text(json.dumps(cell_info, indent=1))
    return experiment.path


def timed(command: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        print("training the template run…")
        path = make_experiment(folder, template_run(folder))
        lines = sum(1 for _ in (path / "cells").glob("*/metrics.jsonl"))
        print(f"{lines:,} run folders")
        show = [sys.executable, "-m", "resnet_studio", "experiment", "show", str(path)]
        base = [sys.executable, "-c", BASELINE, str(path)]
        times: dict[str, list[float]] = {"show": [], "baseline": []}
        for _ in range(args.rounds):
            times["show"].append(timed(show))
            times["baseline"].append(timed(base))
        best = {side: min(t) for side, t in times.items()}
    print(
        f"experiment show, 1,000 runs: {best['show']:.2f} s (goal < {GOAL_S} s); "
        f"baseline json.loads of the same files: {best['baseline']:.2f} s; "
        f"ratio {best['show'] / best['baseline']:.1f}"
    )
    return 0 if best["show"] < GOAL_S else 1


if __name__ == "__main__":
    raise SystemExit(main())
