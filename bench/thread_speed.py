"""Training speed on the window's thread against the headless engine, in one process.

The same run — ResNet-20 (CIFAR) on the first ``--subset`` synthetic images,
the paper's recipe, the same seed, the same number of CPU threads (the
window's share: all cores but one) — trains two ways, in alternating rounds:

- headless: ``RunHandle.run()`` in the main thread, no event loop, as the CLI does;
- window: the same handle on a :class:`RunThread` started by the window's
  training controller, while the main window (designer, runs table, live
  curves, layer statistics) runs its event loop and redraws.

Each round's speed is the engine's own training images/s (validation
excluded), averaged over its epochs after the first (warm-up). The figure is
the median window speed over the median headless speed. Goal: at least 0.95.

Run from the repository root::

    python bench/thread_speed.py            # about 3 minutes on 2 cores
    python bench/thread_speed.py --rounds 2 --subset 1280
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from a plain checkout

from PySide6.QtCore import QCoreApplication, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

GOAL = 0.95


def speed(history) -> float:
    """Training images/s over the epochs after the first."""
    epochs = history[1:] or history
    return statistics.mean(e.images_per_s for e in epochs)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3, help="rounds of each kind")
    parser.add_argument("--subset", type=int, default=1536, help="training images")
    parser.add_argument("--epochs", type=int, default=3)
    args = parser.parse_args()

    os.environ["RESNET_STUDIO_HOME"] = tempfile.mkdtemp(prefix="resnet-studio-bench-")
    app = QApplication(sys.argv[:1])
    QCoreApplication.setOrganizationName("ResNet Studio Bench")

    from resnet_studio.arch.presets import preset_network
    from resnet_studio.gui.main_window import MainWindow
    from resnet_studio.gui.run_worker import RunThread
    from resnet_studio.training.datasets import load_dataset
    from resnet_studio.training.launch import new_run
    from resnet_studio.training.orchestration import cpu_threads_each
    from resnet_studio.training.recipe import Recipe

    network = preset_network("cifar-resnet20")
    data = load_dataset("synthetic", subset=args.subset, val_size=256)
    recipe = Recipe(epochs=args.epochs, batch_size=128, threads=cpu_threads_each(1))
    window = MainWindow(network)
    window.resize(1280, 800)
    window.show()
    controller = window.training

    def headless() -> float:
        handle = new_run(network, data, recipe, None, name="headless")
        result = handle.run()
        assert result.status == "finished", result.last_event
        return speed(result.history)

    def in_window() -> float:
        handle = new_run(network, data, recipe, None, name="window")
        thread = RunThread(handle, controller)
        row = controller.model.add_live("window", handle, thread.worker)
        entry = controller.model.record(row)
        thread.stopped.connect(lambda: app.exit(0))  # quit() would close the window
        thread.start()
        app.exec()  # the window runs (curves redraw, table updates) until the run ends
        assert entry.status == "finished", entry.reason
        return speed(entry.epochs)

    results: dict[str, list[float]] = {"headless": [], "window": []}
    order = ["headless", "window"]
    started = time.perf_counter()
    for i in range(args.rounds):
        for kind in order if i % 2 == 0 else order[::-1]:  # ABBA: drift hits both alike
            value = headless() if kind == "headless" else in_window()
            results[kind].append(value)
            print(f"round {i + 1} {kind:8s} {value:7.1f} img/s", flush=True)
    bare, gui = statistics.median(results["headless"]), statistics.median(results["window"])
    ratio = gui / bare
    print(
        f"cifar-resnet20, batch {recipe.batch_size}, {recipe.threads} CPU thread(s): "
        f"window thread {gui:,.1f} img/s, headless {bare:,.1f} img/s -> {ratio:.3f} of headless "
        f"(goal >= {GOAL}); {time.perf_counter() - started:.0f} s"
    )
    window.document.undo_stack.setClean()
    QTimer.singleShot(0, window.close)
    app.processEvents()
    return 0 if ratio >= GOAL else 1


if __name__ == "__main__":
    sys.exit(main())
