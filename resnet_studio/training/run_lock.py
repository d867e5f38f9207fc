"""One process at a time trains a run folder: the folder's lock file, ``run.lock``.

The lock names the process that trains the run: its id, host and start time,
and since when it holds the lock. It is made by exclusive creation (O_EXCL), so
of two processes taking it at once exactly one gets it; the other is refused in
one line that says who holds it, and writes nothing. The holder removes it when
training ends, however it ends (the end, a failure, Ctrl-C, the window's Stop or
close). A holder killed outright leaves it behind, stale: its process is gone,
is a zombie, or its id now names a process that started at another time. A
stale lock is removed and a new one created exclusively, so again one process
wins.

Removing a stale lock must never remove a fresh one that another process made
under the same name meanwhile. So the remover opens the stale file and takes the
system's lock on it (``flock``) before it removes it, and removes it only while
the name still refers to that very file, with the content it judged stale: one
remover at a time, each removing only what it judged. The holder keeps the same
system lock on its own lock file for as long as it lives, so a lock whose holder
still runs is never taken over, even if its id and start time were misread. On
Windows no file can be deleted while a process has it open, and the holder keeps
its lock file open: that gives the same guarantees without ``flock``.
"""

from __future__ import annotations

import atexit
import json
import os
import socket
import stat
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from resnet_studio.arch.messages import Message
from resnet_studio.arch.translatable import QT_TRANSLATE_NOOP
from resnet_studio.processes import ProcessId, process_alive, this_process
from resnet_studio.training.runs import RunFolderError, cannot_create, cannot_read

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None

LOCK_FILE = "run.lock"
# A lock file that cannot be read yet is being written by its holder; one still
# unreadable after this long was left half-made by a killed process.
UNREADABLE_GRACE_S = 10.0
MAX_LOCK_BYTES = 4096  # a lock is ~150 bytes
# Tries before giving up on a lock others keep taking and removing (each waits a little).
ATTEMPTS = 50
RETRY_S = 0.02
MAX_PID = 2**31 - 1


@dataclass(frozen=True)
class LockHolder:
    """Who holds a run's lock, as its lock file says."""

    process: ProcessId
    since: float  # when the lock was taken, seconds since the epoch


class RunLockedError(RunFolderError):
    """Another process trains the run; the message says which, in one line."""

    def __init__(self, folder: Path, holder: LockHolder | None) -> None:
        self.folder = folder
        self.holder = holder
        if holder is None:
            super().__init__(
                Message(
                    "run_lock.taking",
                    QT_TRANSLATE_NOOP(
                        "messages",
                        "{folder}: another process is taking this run's lock right now; try again",
                    ),
                    folder=str(folder),
                )
            )
            return
        p = holder.process
        fields = {
            "folder": str(folder),
            "pid": p.pid,
            "host": p.host,
            "since": _clock(holder.since),
        }
        if p.host == socket.gethostname():
            text = Message(
                "run_lock.held",
                QT_TRANSLATE_NOOP(
                    "messages",
                    "{folder}: being trained by process {pid} on host {host} since {since}; "
                    "wait for it to end or stop it",
                ),
                **fields,
            )
        else:
            text = Message(
                "run_lock.held_elsewhere",
                QT_TRANSLATE_NOOP(
                    "messages",
                    "{folder}: being trained by process {pid} on host {host} since {since}; "
                    "wait for it to end or stop it (this machine cannot tell whether it still "
                    "runs there; if it does not, delete {lock})",
                ),
                **fields,
                lock=str(folder / LOCK_FILE),
            )
        super().__init__(text)


def _clock(when: float) -> str:
    """``10:42`` today, else ``2026-11-23 10:42``."""
    moment = time.localtime(when)
    if time.strftime("%Y-%m-%d", moment) == time.strftime("%Y-%m-%d"):
        return time.strftime("%H:%M", moment)
    return time.strftime("%Y-%m-%d %H:%M", moment)


class RunLock:
    """A run folder's lock, held by this process until :meth:`release` (or exit).

    A context manager too: ``with lock_run(folder): ...`` releases it on leaving.
    """

    def __init__(self, folder: Path, fd: int, holder: LockHolder) -> None:
        self.folder = folder
        self.path = folder / LOCK_FILE
        self.holder = holder
        self._fd: int | None = fd
        self._identity = _identity(os.fstat(fd))
        self._owner_pid = os.getpid()  # a forked child inherits the object, not the lock
        _held.add(self)

    @property
    def held(self) -> bool:
        return self._fd is not None

    def release(self) -> None:
        """Remove the lock file; idempotent, and quiet: it runs as training ends."""
        fd, self._fd = self._fd, None
        _held.discard(self)
        if fd is None or os.getpid() != self._owner_pid:
            return
        try:
            # Only our own file: never one made by whoever took over a lock judged stale.
            ours = _identity(os.stat(self.path)) == self._identity
        except OSError:
            ours = False
        if sys.platform == "win32":
            os.close(fd)  # an open file cannot be deleted there
        try:
            if ours:
                os.unlink(self.path)
        except OSError:
            pass  # removed by hand, or the folder with it: nothing is held any more
        finally:
            if sys.platform != "win32":
                os.close(fd)  # after the unlink: until then no remover can get in

    def __enter__(self) -> RunLock:
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()


_held: set[RunLock] = set()


@atexit.register
def _release_all() -> None:
    """At exit, whatever a caller did not release (the window closing, an error)."""
    for lock in list(_held):
        lock.release()


def lock_run(folder: str | os.PathLike[str]) -> RunLock:
    """Take ``folder``'s lock for this process, taking over a stale one.

    :class:`RunLockedError` (one line naming the holder) when another live process
    holds it, having written nothing; :class:`RunFolderError` when it cannot be
    made (a read-only folder, a lock that is a folder).
    """
    folder = Path(folder)
    path = folder / LOCK_FILE
    holder: LockHolder | None = None
    for _ in range(ATTEMPTS):
        try:
            fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0))
        except FileExistsError:
            found = _read_holder(path)
            if found is _GONE:
                continue  # released this moment: try again
            holder = found if isinstance(found, LockHolder) else None
            if not _stale(holder, _age(path)):
                if holder is None:  # its holder is writing it this moment: read it again
                    time.sleep(RETRY_S)
                    continue
                raise RunLockedError(folder, holder) from None
            if not _remove_stale(path):
                time.sleep(RETRY_S)  # another process removes it now: see what follows
            continue
        except OSError as err:
            raise RunFolderError(cannot_create(path, err)) from None
        return _fill(folder, path, fd)
    raise RunLockedError(folder, holder)


def _fill(folder: Path, path: Path, fd: int) -> RunLock:
    """Write this process's record into its new lock file ``fd`` and hold it."""
    holder = LockHolder(this_process(), time.time())
    p = holder.process
    record = {
        "pid": p.pid,
        "host": p.host,
        "process_started": p.started,
        "since": holder.since,
    }
    try:
        _system_lock(fd, wait=True)
        os.write(fd, (json.dumps(record) + "\n").encode())
        os.fsync(fd)
    except OSError as err:
        os.close(fd)
        path.unlink(missing_ok=True)
        raise RunFolderError(
            Message(
                "run_lock.cannot_write",
                QT_TRANSLATE_NOOP("messages", "{path}: cannot write ({reason})"),
                path=str(path),
                reason=err.strerror or str(err),
            )
        ) from None
    return RunLock(folder, fd, holder)


_GONE = object()  # no lock file any more


def _open_lock_file(path: Path) -> int | None:
    """A descriptor to read the lock file ``path`` (never blocking); None when it is gone."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        return os.open(path, flags)
    except FileNotFoundError:
        return None
    except OSError as err:
        raise RunFolderError(cannot_read(path, err)) from None


def _read_holder(path: Path) -> LockHolder | bytes | object:
    """The holder that ``path`` names; its bytes when they name none (being written,
    or damaged); ``_GONE`` when there is no file."""
    fd = _open_lock_file(path)
    if fd is None:
        return _GONE
    try:
        return _holder_of(_read_fd(path, fd))
    finally:
        os.close(fd)


def _read_fd(path: Path, fd: int) -> bytes:
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        raise RunFolderError(
            Message(
                "run_lock.not_regular",
                QT_TRANSLATE_NOOP(
                    "messages",
                    "{path}: not a regular file (a folder, device, pipe or socket); remove it "
                    "to train this run",
                ),
                path=str(path),
            )
        )
    return os.read(fd, MAX_LOCK_BYTES + 1)


def _holder_of(data: bytes) -> LockHolder | bytes:
    try:
        record = json.loads(data.decode("utf-8")) if len(data) <= MAX_LOCK_BYTES else None
    except ValueError:
        return data
    if not isinstance(record, dict):
        return data
    pid, host = record.get("pid"), record.get("host")
    started, since = record.get("process_started"), record.get("since")
    if (
        type(pid) is not int
        or not 0 < pid <= MAX_PID
        or not isinstance(host, str)
        or not (started is None or _number(started))
        or not _number(since)
    ):
        return data
    return LockHolder(ProcessId(pid, host, started), float(since))


def _number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and value == value


def _age(path: Path) -> float:
    """Seconds since ``path`` was last written (0 when it cannot be told)."""
    try:
        return time.time() - path.stat().st_mtime
    except OSError:
        return 0.0


def _stale(holder: LockHolder | None, age: float) -> bool:
    """Whether a lock's holder is known to be gone; ``holder`` None for a lock file
    that names none, stale once older than :data:`UNREADABLE_GRACE_S`. The lock of
    another host is never stale: whether its process runs cannot be told here."""
    if holder is None:
        return age > UNREADABLE_GRACE_S
    p = holder.process
    return p.host == socket.gethostname() and not process_alive(p.pid, p.started)


def _remove_stale(path: Path) -> bool:
    """Remove the lock file at ``path`` if it is stale; False when that cannot be known
    now (another process removes it this moment, or its holder still runs after all).

    Judged again under the system's lock, from the very file the name refers to: a
    fresh lock made under the name meanwhile is judged as itself, and kept.
    """
    fd = _open_lock_file(path)
    if fd is None:
        return True
    try:
        if not _system_lock(fd, wait=False):
            return False
        try:
            if _identity(os.stat(path)) != _identity(os.fstat(fd)):
                return True  # replaced already: the caller judges the new one
        except FileNotFoundError:
            return True
        found = _holder_of(_read_fd(path, fd))
        age = time.time() - os.fstat(fd).st_mtime
        if not _stale(found if isinstance(found, LockHolder) else None, age):
            return True  # a live lock: the caller reads it again and is refused
        if sys.platform == "win32":
            os.close(fd)  # an open file cannot be deleted there
            fd = -1
        try:
            os.unlink(path)
        except FileNotFoundError:
            pass
        except PermissionError:
            return False  # Windows: open by its holder, or by another remover
        return True
    finally:
        if fd >= 0:
            os.close(fd)


def _system_lock(fd: int, *, wait: bool) -> bool:
    """Take the system's exclusive lock on ``fd``; False if another holds it. Where there
    is none (Windows, some network file systems), True: the ids alone decide."""
    if fcntl is None:
        return True
    deadline = time.monotonic() + (1.0 if wait else 0.0)
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return True
        except BlockingIOError:
            if time.monotonic() >= deadline:
                return False
            time.sleep(RETRY_S)
        except OSError:
            return True  # not supported here


def _identity(info: os.stat_result) -> tuple[int, int]:
    return info.st_dev, info.st_ino
