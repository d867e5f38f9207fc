"""Training speed in the window, its live curves drawing, against the headless engine.

The same run — ResNet-20 (CIFAR) on the first ``--subset`` synthetic images
(256 validation images), the paper's recipe, a point logged every step so
that the curves change as often as the run allows, the same seed, the same
number of CPU threads (the window's share: all cores but one) — trains two
ways in one process, in alternating rounds (ABBA, so drift hits both alike):

- headless: prepared by ``prepare_runs`` and trained by ``RunHandle.run()``, no
  event loop, as the CLI does, but on a thread at the window's training
  priority (``TRAINING_NICENESS`` below normal on Linux): on a machine shared
  with other programs, a normal-priority run would get more of the CPU than
  the window's, and the ratio would measure the machine's load, not the
  window (``--cli-priority``: at normal priority, as the CLI runs);
- window: started by the main window's training controller exactly as the
  Train dialog starts it (``TrainingController.start``: prepared in the
  background, trained on a low-priority :class:`RunThread`, a row in the runs
  table), while the window (designer, runs table, layer statistics, and the
  Curves tab, which starting a run brings forward) runs its event loop. The
  bench makes sure the Curves panel is built and its tab shown, and counts
  the paint events of its plot while the run's measured epochs train (after
  the first): a round whose curves were not painted fails the bench.

Each round's speed is the engine's own training images/s (validation
excluded), averaged over its epochs after the first (warm-up). The figure is
the median window speed over the median headless speed. Goal: at least 0.95;
exits 1 when missed.

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
import threading
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from a plain checkout

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402

GOAL = 0.95


class PaintCounter(QObject):
    """Counts the paint events ``widget`` receives while ``counting()`` is true."""

    def __init__(self, widget: QWidget, counting: Callable[[], bool]) -> None:
        super().__init__(widget)
        self.counting = counting
        self.count = 0
        widget.installEventFilter(self)

    def eventFilter(self, _watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.Paint and self.counting():
            self.count += 1
        return False


def lower_priority() -> None:
    """Run the calling thread as the window runs its training threads."""
    from resnet_studio.gui.run_worker import TRAINING_NICENESS

    if sys.platform.startswith("linux"):  # nice is per thread there
        thread = threading.get_native_id()
        os.setpriority(
            os.PRIO_PROCESS, thread, os.getpriority(os.PRIO_PROCESS, thread) + TRAINING_NICENESS
        )


def speed(history) -> float:
    """Training images/s over the epochs after the first."""
    epochs = history[1:] or history
    return statistics.mean(e.images_per_s for e in epochs)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3, help="rounds of each kind")
    parser.add_argument("--subset", type=int, default=1536, help="training images")
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument(
        "--cli-priority", action="store_true", help="headless rounds at normal priority"
    )
    args = parser.parse_args()

    home = Path(tempfile.mkdtemp(prefix="resnet-studio-bench-"))
    os.environ["RESNET_STUDIO_HOME"] = str(home)  # runs and settings stay out of the user's
    app = QApplication(sys.argv[:1])
    QCoreApplication.setOrganizationName("ResNet Studio Bench")

    from resnet_studio.arch.presets import preset_network
    from resnet_studio.gui.main_window import MainWindow
    from resnet_studio.training.orchestration import TrainRequest, cpu_threads_each, prepare_runs
    from resnet_studio.training.recipe import Recipe

    network = preset_network("cifar-resnet20")
    recipe = Recipe(epochs=args.epochs, batch_size=128, threads=cpu_threads_each(1), log_every=1)
    window = MainWindow(network)
    window.resize(1280, 800)
    window.show()
    controller = window.training

    def request(name: str) -> TrainRequest:
        return TrainRequest(
            network=network,
            dataset="synthetic",
            data_root=None,
            subset=args.subset,
            recipe=recipe,
            name=name,
            val_subset=256,
        )

    def headless() -> float:
        (run,) = prepare_runs(request("headless"), home / "headless")
        results = []

        def train() -> None:
            if not args.cli_priority:
                lower_priority()
            results.append(run.handle.run())

        trainer = threading.Thread(target=train, name="headless")
        trainer.start()
        trainer.join()
        (result,) = results
        assert result.status == "finished", result.last_event
        return speed(result.history)

    def in_window() -> tuple[float, int]:
        """Images/s, and the curves plot's paint events during the measured epochs."""
        rows = controller.model.rowCount()
        failed: list[str] = []
        controller.start(request("window"), on_failed=lambda reason: failed.append(reason))
        deadline = time.monotonic() + 300
        while controller.model.rowCount() == rows and not failed:
            app.processEvents()  # prepared in the background, as from the Train dialog
            assert time.monotonic() < deadline, "the run did not start"
            time.sleep(0.005)
        assert not failed, failed
        entry = controller.model.record(rows)
        app.processEvents()  # the window brings the Curves tab forward: it is built now
        assert window.curves_holder.built, "the Curves panel was never created"
        plot = window.curves.plot_widget
        painted = PaintCounter(plot.viewport(), lambda: len(entry.epochs) >= 1)
        stopped = lambda: app.exit(0)  # noqa: E731 - quit() would close the window
        controller.thread_stopped.connect(stopped)
        if controller.thread_of(entry) is not None:
            app.exec()  # the window runs (curves redraw, table updates) until the run ends
        controller.thread_stopped.disconnect(stopped)
        painted.setParent(None)
        plot.viewport().removeEventFilter(painted)
        assert entry.status == "finished", entry.reason
        return speed(entry.epochs), painted.count

    results: dict[str, list[float]] = {"headless": [], "window": []}
    paints: list[int] = []
    order = ["headless", "window"]
    started = time.perf_counter()
    for i in range(args.rounds):
        for kind in order if i % 2 == 0 else order[::-1]:
            if kind == "headless":
                value, drawn = headless(), ""
            else:
                value, count = in_window()
                paints.append(count)
                drawn = f" (curves plot painted {count} times while measured)"
            results[kind].append(value)
            print(f"round {i + 1} {kind:8s} {value:7.1f} img/s{drawn}", flush=True)
    bare, gui = statistics.median(results["headless"]), statistics.median(results["window"])
    ratio = gui / bare
    priority = "normal" if args.cli_priority else "the window's training"
    size = window.curves.plot_widget.viewport().size()
    print(
        f"cifar-resnet20, batch {recipe.batch_size}, {recipe.threads} CPU thread(s), headless "
        f"at {priority} priority, "
        f"Curves tab shown (plot {size.width()}x{size.height()}): window {gui:,.1f} img/s, "
        f"headless {bare:,.1f} img/s -> {ratio:.3f} of headless (goal >= {GOAL}); "
        f"{time.perf_counter() - started:.0f} s"
    )
    drawn = min(paints) > 0
    if not drawn:
        print("FAIL: the curves were not painted while a window round was measured")
    window.document.undo_stack.setClean()
    QTimer.singleShot(0, window.close)
    app.processEvents()
    return 0 if ratio >= GOAL and drawn else 1


if __name__ == "__main__":
    sys.exit(main())
