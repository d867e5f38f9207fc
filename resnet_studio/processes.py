"""Whether a process recorded in a file (a run, its lock, a recovery file) is still running.

A process is named by its id *and its start time*: ids are reused, so an id alone
may name another program that started later (after a crash, a reboot, or on a
busy machine). A zombie (a process that has ended but not been reaped by its
parent) is not running either. psutil answers both on Linux, macOS and Windows.
"""

from __future__ import annotations

import os
import socket
from dataclasses import dataclass

import psutil

# How far two readings of one process's start time may differ. On Linux the
# start time is the boot time (whole seconds, recomputed from the clock on each
# reading) plus the process's age, so it can move by a second between readings;
# a reused id names a process started later than that.
START_TIME_TOLERANCE_S = 2.0


@dataclass(frozen=True)
class ProcessId:
    """A process as recorded in a file: id, host, and start time (seconds since the
    epoch; None where it could not be read)."""

    pid: int
    host: str
    started: float | None


def process_started(pid: int) -> float | None:
    """When process ``pid`` started (seconds since the epoch); None when there is no
    such process or it may not be asked."""
    try:
        return psutil.Process(pid).create_time()
    except (psutil.Error, OSError, ValueError):
        return None


def this_process() -> ProcessId:
    """The calling process."""
    return ProcessId(os.getpid(), socket.gethostname(), process_started(os.getpid()))


def process_alive(pid: int, started: float | None = None) -> bool:
    """False only when process ``pid`` on this machine is known to be gone.

    Gone: no such process, a zombie, or (``started`` given) a process of that id
    that started at another time, so another program reusing the id. True when
    it cannot be told (a process of another user that may not be asked).
    """
    if pid == os.getpid() and started is None:
        return True
    try:
        process = psutil.Process(pid)
        if process.status() == psutil.STATUS_ZOMBIE:
            return False
        if started is not None:
            return abs(process.create_time() - started) <= START_TIME_TOLERANCE_S
        return True
    except psutil.NoSuchProcess:  # a zombie too, where the system reports it so
        return False
    except (psutil.Error, OSError, ValueError):
        return True  # it exists, but may not be asked about: don't guess it is gone


def pid_alive(pid: int) -> bool:
    """False only when process ``pid`` on this machine is known to be gone (see
    :func:`process_alive`; without a start time a reused id reads as alive)."""
    return process_alive(pid)
