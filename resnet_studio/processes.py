"""Whether a process recorded in a file (a run, a recovery file) is still running."""

from __future__ import annotations

import os
import sys


def pid_alive(pid: int) -> bool:
    """False only when process ``pid`` on this machine is known to be gone."""
    if pid == os.getpid():
        return True
    if sys.platform == "win32":
        return True  # os.kill(pid, 0) would terminate it on Windows: don't guess
    try:
        os.kill(pid, 0)  # signal 0: no signal, just the existence check
    except ProcessLookupError:
        return False
    except OSError:
        return True  # it exists but belongs to someone else
    return True
