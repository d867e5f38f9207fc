"""Whether a recorded process still runs (resnet_studio/processes.py): id and start time.

The processes are real: a child that sleeps (alive), one that has ended and been
reaped (gone), and one that has ended but not been reaped (a zombie).
"""

from __future__ import annotations

import subprocess
import sys

import psutil

from resnet_studio.processes import (
    START_TIME_TOLERANCE_S,
    pid_alive,
    process_alive,
    process_started,
    this_process,
)


def test_this_process_is_alive() -> None:
    me = this_process()
    assert me.started is not None and abs(me.started - psutil.Process().create_time()) < 1
    assert process_alive(me.pid, me.started) and pid_alive(me.pid)


def test_a_live_process_with_its_own_start_time_is_alive(sleeper) -> None:
    assert process_alive(sleeper.pid, sleeper.create_time())
    assert process_alive(sleeper.pid)


def test_a_reused_id_is_not_the_recorded_process(sleeper) -> None:
    """The id names a live process, but one that started at another time: the
    recorded one is gone (its id was given to a newer program)."""
    later = sleeper.create_time() + START_TIME_TOLERANCE_S + 1
    assert not process_alive(sleeper.pid, later)
    assert not process_alive(sleeper.pid, sleeper.create_time() - 3600)


def test_a_zombie_is_not_alive(zombie) -> None:
    assert psutil.pid_exists(zombie.pid)  # the id still exists...
    assert not process_alive(zombie.pid)  # ...but nothing runs under it
    assert not process_alive(zombie.pid, zombie.create_time())
    assert not pid_alive(zombie.pid)


def test_a_reaped_process_is_gone() -> None:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    started = process_started(proc.pid)
    proc.wait()
    assert started is not None
    assert not process_alive(proc.pid, started) and not pid_alive(proc.pid)
    assert process_started(proc.pid) is None
