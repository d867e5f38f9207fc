"""Start-up: the window is shown before torch could even have finished importing.

Measures, in one run and alternating to cancel machine noise:

- from process start to the designer window being shown and painted
  (``resnet_studio.gui.app`` on the built-in default network), and
- a bare ``python -c "import torch"``.

Run: ``python bench/startup.py [--rounds 3]``. Uses Qt's offscreen platform
unless a display is set. Exits non-zero if the window does not come first or
if torch was imported before the window was shown.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time

# Runs in a child process: start the app, report the moment the window has painted.
WINDOW_CHILD = r"""
import sys, time
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from resnet_studio.gui.main_window import MainWindow
app = QApplication(sys.argv)
app.setOrganizationName("ResNet Studio Bench")
window = MainWindow()
window.show()
def report():
    app.processEvents()
    window.repaint()  # the first frame is on screen (or in the offscreen buffer)
    print(time.monotonic(), "torch" in sys.modules, flush=True)
    app.quit()
QTimer.singleShot(0, report)
app.exec()
"""


def time_window() -> tuple[float, bool]:
    start = time.monotonic()
    out = subprocess.run(
        [sys.executable, "-c", WINDOW_CHILD], capture_output=True, text=True, check=True
    ).stdout.split()
    return float(out[0]) - start, out[1] == "True"


def time_torch_import() -> float:
    start = time.monotonic()
    subprocess.run([sys.executable, "-c", "import torch"], check=True)
    return time.monotonic() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    if not os.environ.get("DISPLAY"):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    # Settle the disk cache first, so neither side pays for a cold start alone.
    time_torch_import()
    time_window()
    windows, torches, torch_seen = [], [], False
    for _ in range(args.rounds):
        seconds, imported = time_window()
        windows.append(seconds)
        torch_seen |= imported
        torches.append(time_torch_import())
    window, torch = statistics.median(windows), statistics.median(torches)
    print(
        f"window shown after {window:.2f} s; 'import torch' alone takes {torch:.2f} s "
        f"-> window first, {torch / window:.1f}x sooner (goal: window first)"
    )
    if torch_seen:
        print("FAIL: torch was imported before the window was shown")
        return 1
    return 0 if window < torch else 1


if __name__ == "__main__":
    sys.exit(main())
