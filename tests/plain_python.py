"""The start of a script run as a plain Python that cannot import ResNet Studio.

Prepend :data:`WITHOUT_RESNET_STUDIO` to a ``python -c`` script: importing
``resnet_studio`` then fails, as on a machine without the program, and the
script stops at once if the blocker does not work.
"""

from __future__ import annotations

WITHOUT_RESNET_STUDIO = """
import sys

class BlockResnetStudio:
    def find_spec(self, name, path=None, target=None):
        if name.partition(".")[0] == "resnet_studio":
            raise ImportError("resnet_studio is not installed here")
        return None

sys.meta_path.insert(0, BlockResnetStudio())
try:
    import resnet_studio  # noqa: F401
except ImportError:
    pass
else:
    sys.exit("the blocker does not work")
"""
