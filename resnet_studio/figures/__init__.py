"""Figures of runs, for the window and for files drawn without one.

The data of every figure (which points, smoothed or not, mean ± std over
seeds, which panel and colour) is worked out here without Qt: ``curves``,
``bands``, ``comparison`` and ``layers`` import numpy and the run events,
nothing that draws. ``render`` draws such a figure as PNG, SVG or PDF with
pyqtgraph, importing Qt only when it is called, so ``resnet-studio compare``
and the window's panels share one source of curve data and the command line
never imports ``resnet_studio.gui``.
"""
