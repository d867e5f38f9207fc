"""The one way the program writes a file: whole or not at all.

Each file is written to a temporary file in the target's folder, flushed to
disk and renamed over the target, so a crash, a full disk or a killed process
never leaves half a file. Torch- and Qt-free: every layer uses it.
"""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path


class WriteError(ValueError):
    """A file that cannot be written; the message names it and says why, in one line."""


def _file_mode(path: Path) -> int:
    """The permissions for ``path``: those of the file it replaces, else 0666 less the umask."""
    try:
        return stat.S_IMODE(path.stat().st_mode)
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def write_atomically(path: str | os.PathLike[str], data: bytes) -> None:
    """Write ``data`` to ``path`` via a temporary file and rename: never half a file."""
    path = Path(path)
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as err:
        raise WriteError(f"{path}: cannot write ({err.strerror})") from None
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        # mkstemp makes the file private (0600); give it the mode a plain open() would.
        os.chmod(tmp, _file_mode(path))
        os.replace(tmp, path)
    except OSError as err:
        Path(tmp).unlink(missing_ok=True)
        raise WriteError(f"{path}: cannot write ({err.strerror})") from None
