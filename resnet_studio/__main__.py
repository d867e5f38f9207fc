"""Entry point for ``python -m resnet_studio``, and the script the bundles freeze."""

import multiprocessing
import sys

if __name__ == "__main__":  # not in a process that multiprocessing spawns (as __mp_main__)
    # First thing: in a frozen bundle a DataLoader worker (image-folder training) is this
    # program launched again, on Windows and macOS; freeze_support runs the worker there
    # and exits. In a plain Python it does nothing.
    multiprocessing.freeze_support()

    from resnet_studio.cli import main

    sys.exit(main())
