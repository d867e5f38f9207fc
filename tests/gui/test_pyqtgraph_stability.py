"""Guards against the PySide6 6.12.0 / Python 3.11 "deallocating None" abort.

That release drops a reference to ``None`` on every Qt call returning nothing,
so pyqtgraph kills the process after about a hundred redraws (DESIGN.md §5).
If this test crashes the interpreter, check the pinned PySide6 version.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtWidgets import QApplication

REDRAWS = 3000


def test_plot_survives_thousands_of_redraws(qtbot) -> None:
    widget = pg.PlotWidget()
    qtbot.addWidget(widget)
    widget.resize(400, 300)
    widget.show()
    curve = widget.plot(pen="y")

    rng = np.random.default_rng(0)
    ys = rng.standard_normal(REDRAWS).cumsum()
    for n in range(1, REDRAWS + 1):
        curve.setData(np.arange(n), ys[:n])
        if n % 10 == 0:
            widget.repaint()
        QApplication.processEvents()

    x, y = curve.getData()
    assert len(x) == REDRAWS
    assert len(y) == REDRAWS
