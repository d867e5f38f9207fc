"""The bundle's entry point: runs the program as ``python -m resnet_studio`` does.

``resnet_studio/__main__.py`` calls ``multiprocessing.freeze_support()`` first, so
the DataLoader worker processes a frozen program starts on Windows and macOS run
their work instead of opening another window.
"""

import runpy

runpy.run_module("resnet_studio", run_name="__main__", alter_sys=True)
