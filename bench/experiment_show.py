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
- window: the Experiments tab of a fresh window (1280×800, offscreen) opening
  the experiment, from Open until its grid, table and Fig. 6 have painted with
  every run read (paint events of the grid and of the plain panel counted
  after the runs' data reached them); the window's own start-up is not in it
  (``bench/startup.py`` measures that);
- baseline: the least reading there is, in a fresh process too: every
  run.json and every line of every metrics.jsonl through ``json.loads``, and
  nothing else.

Run: ``python bench/experiment_show.py [--rounds 3]`` (about 2 minutes on 2 cores).
Goal: show and window each in under 2 s; exits 1 when missed.
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


WINDOW = """
import os, sys, tempfile, time
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
home = tempfile.mkdtemp()  # the window's settings and runs folder: not the user's
os.environ["XDG_CONFIG_HOME"] = home
os.environ["RESNET_STUDIO_RUNS"] = home
from pathlib import Path
from PySide6.QtCore import QEvent, QEventLoop, QObject, QTimer
from PySide6.QtWidgets import QApplication
from resnet_studio.gui.main_window import MainWindow

app = QApplication([])
app.setOrganizationName("ResNet Studio")
app.setApplicationName("ResNet Studio")
window = MainWindow()
window.resize(1280, 800)
window.show()
window.show_experiments_tab()
panel = window.experiments
app.processEvents()

class Paints(QObject):
    # Counts each watched widget's paints once the runs' data reached the view, and
    # ends the event loop when every one has painted it.

    def __init__(self, watched):
        super().__init__()
        self.watched = watched
        self.after_data = {}
        self.seconds = None
        for widget in watched:
            widget.installEventFilter(self)

    def eventFilter(self, watched, event):
        if event.type() == QEvent.Type.Paint and panel.snapshot is not None:
            self.after_data[watched] = self.after_data.get(watched, 0) + 1
            if self.seconds is None and all(self.after_data.get(w) for w in self.watched):
                self.seconds = time.perf_counter() - started
                QTimer.singleShot(0, loop.quit)
        return False

paints = Paints([panel.grid, panel.figures.plain.viewport()])
loop = QEventLoop()
QTimer.singleShot(60_000, loop.quit)  # a limit, should it never paint
path = Path(sys.argv[1])
started = time.perf_counter()
panel.open_path(path)
loop.exec()  # the event loop as the application runs it: idle waits hold no GIL
seconds = paints.seconds
cells = len(panel.snapshot.cells)
assert cells == 1000 and panel.table.rowCount() == 10, (cells, panel.table.rowCount())
print(seconds)
"""


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
        window = [sys.executable, "-c", WINDOW, str(path)]
        times: dict[str, list[float]] = {"show": [], "window": [], "baseline": []}
        for _ in range(args.rounds):
            times["show"].append(timed(show))
            times["window"].append(window_seconds(window))
            times["baseline"].append(timed(base))
        best = {side: min(t) for side, t in times.items()}
    print(
        f"experiment show, 1,000 runs: {best['show']:.2f} s (goal < {GOAL_S} s); "
        f"the window's Experiments tab opening it, painted: {best['window']:.2f} s "
        f"(goal < {GOAL_S} s); baseline json.loads of the same files: "
        f"{best['baseline']:.2f} s; ratios {best['show'] / best['baseline']:.1f} and "
        f"{best['window'] / best['baseline']:.1f}"
    )
    return 0 if max(best["show"], best["window"]) < GOAL_S else 1


def window_seconds(command: list[str]) -> float:
    """What the window's child process measured (its own start-up left out)."""
    done = subprocess.run(command, check=True, capture_output=True, text=True)
    return float(done.stdout.split()[-1])


if __name__ == "__main__":
    raise SystemExit(main())
