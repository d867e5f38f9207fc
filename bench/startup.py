"""Start-up: the window is shown before torch could even have finished importing.

Measures, in one run and alternating to cancel machine noise:

- from process start to the designer window being shown and painted
  (``resnet_studio.gui.app`` on the built-in default network), the start-up
  check of Qt's X11 libraries included (``resnet_studio.xcb_check``: the
  command runs it before Qt loads; here it probes every library whatever the
  platform, so its cost is counted even offscreen), and
- a bare ``python -c "import torch"``, and
- the window again in Simplified Chinese: its translations (the program's and Qt's
  ``qtbase``) loaded before the window is made, as ``resnet_studio.gui.app`` does
  for a user who chose it (goal: within 5% of English).

Run: ``python bench/startup.py [--rounds 3]``. Uses Qt's offscreen platform
unless a display is set (under ``xvfb-run`` the window opens on X11, and Qt
loads next the libraries the check has loaded). Prints the check's own cost
too: importing it and probing every library, the most it can add (goal: under
2% of the time to the window). Exits non-zero if the window does not come
first, if torch was imported before the window was shown, if the check found
a library missing or if it cost more than that, or if Chinese is more than 5% slower.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time

CHECK_GOAL = 0.02  # the start-up check's share of the time to the window, at most
TRANSLATED_GOAL = 0.05  # how much longer the window may take in Chinese, at most

# Runs in a child process: start the app, report the moment the window has painted.
WINDOW_CHILD = r"""
import sys, time
checking = time.perf_counter()
from resnet_studio.xcb_check import missing_libraries
missing = missing_libraries()
check_ms = (time.perf_counter() - checking) * 1000
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from resnet_studio.gui.main_window import MainWindow
language = sys.argv.pop()  # "" for English
app = QApplication(sys.argv)
app.setOrganizationName("ResNet Studio Bench")
if language:
    from resnet_studio.gui.language import install_translators
    assert install_translators(app, language), "no translation found for " + language
window = MainWindow()
window.show()
def report():
    app.processEvents()
    window.repaint()  # the first frame is on screen (or in the offscreen buffer)
    print(time.monotonic(), "torch" in sys.modules, check_ms, ",".join(missing), flush=True)
    app.quit()
QTimer.singleShot(0, report)
app.exec()
"""


def time_window(language: str = "") -> tuple[float, bool, float, str]:
    """Seconds to the painted window (in ``language``; "" for English), whether torch was
    loaded by then, the start-up check's milliseconds and the libraries it found missing."""
    start = time.monotonic()
    out = subprocess.run(
        [sys.executable, "-c", WINDOW_CHILD, language], capture_output=True, text=True, check=True
    ).stdout.split(" ")
    return float(out[0]) - start, out[1] == "True", float(out[2]), out[3].strip()


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
    windows, translated, torches, checks, torch_seen, missing = [], [], [], [], False, ""
    for _ in range(args.rounds):
        seconds, imported, check_ms, missing = time_window()
        windows.append(seconds)
        checks.append(check_ms)
        torch_seen |= imported
        translated.append(time_window("zh_CN")[0])
        torches.append(time_torch_import())
    window, torch = statistics.median(windows), statistics.median(torches)
    chinese = statistics.median(translated)
    slower = chinese / window - 1
    check = statistics.median(checks)
    share = check / (window * 1000)
    print(
        f"window shown after {window:.2f} s; 'import torch' alone takes {torch:.2f} s "
        f"-> window first, {torch / window:.1f}x sooner (goal: window first)"
    )
    print(
        f"start-up check of Qt's X11 libraries: {check:.1f} ms (median; "
        f"{min(checks):.1f}-{max(checks):.1f}), {share:.1%} of the time to the window "
        f"(goal <= {CHECK_GOAL:.0%}); missing: {missing or 'none'}"
    )
    print(
        f"window in Simplified Chinese after {chinese:.2f} s, English {window:.2f} s: "
        f"{slower:+.1%} (goal <= {TRANSLATED_GOAL:+.0%})"
    )
    if torch_seen:
        print("FAIL: torch was imported before the window was shown")
        return 1
    fast = share <= CHECK_GOAL and slower <= TRANSLATED_GOAL
    return 0 if window < torch and fast and not missing else 1


if __name__ == "__main__":
    sys.exit(main())
