"""The one way the program writes a file: whole or not at all, and only over a file.

Each file is written to a uniquely named temporary file in the target's folder,
flushed to disk and then renamed over the target (or, where a command promises
not to overwrite, linked to it, which fails when the name exists), and the
folder is flushed too, so a crash, a full disk or a killed process never leaves
half a file and two writers never mix their bytes. Only a regular file is ever
replaced: a folder, a device such as ``/dev/null``, a pipe or a socket (or a
link to one) is refused, since a rename would destroy it. A link to a regular
file is itself replaced; what it points to is never written through.

Torch- and Qt-free: every layer uses it. Appending to a log (a run's
``metrics.jsonl`` and ``log.txt``) is the one kind of writing that does not.
"""

from __future__ import annotations

import errno
import os
import secrets
import stat
from pathlib import Path

from resnet_studio.arch.messages import Message
from resnet_studio.arch.translatable import QT_TRANSLATE_NOOP

__all__ = ["AlreadyExistsError", "WriteError", "check_target", "write_atomically"]


class WriteError(ValueError):
    """A file that cannot be written; the message names it and says why, in one line,
    raised with a :class:`Message` the window shows in its language."""


class AlreadyExistsError(WriteError):
    """``exclusive=True`` and something already has the file's name."""


# What ``stat`` calls each kind of file that is not a regular one, for the message.
_DEVICE = Message("writing.kind.device", QT_TRANSLATE_NOOP("messages", "a device"))
_KINDS = (
    (stat.S_ISDIR, Message("writing.kind.folder", QT_TRANSLATE_NOOP("messages", "a folder"))),
    (stat.S_ISCHR, _DEVICE),
    (stat.S_ISBLK, _DEVICE),
    (stat.S_ISFIFO, Message("writing.kind.pipe", QT_TRANSLATE_NOOP("messages", "a pipe"))),
    (stat.S_ISSOCK, Message("writing.kind.socket", QT_TRANSLATE_NOOP("messages", "a socket"))),
)
_IRREGULAR = Message("writing.kind.irregular", QT_TRANSLATE_NOOP("messages", "not a regular file"))
# errno values of a file system that cannot make hard links (FAT, some network mounts).
_NO_LINKS = {errno.EPERM, errno.EOPNOTSUPP, errno.ENOTSUP, errno.ENOSYS, errno.EXDEV}


def _cannot_write(path: Path, err: OSError) -> WriteError:
    return WriteError(
        Message(
            "writing.cannot_write",
            QT_TRANSLATE_NOOP("messages", "{path}: cannot write ({reason})"),
            path=str(path),
            reason=err.strerror or str(err),  # the system's words
        )
    )


def _already_exists(path: Path) -> AlreadyExistsError:
    return AlreadyExistsError(
        Message(
            "writing.exists",
            QT_TRANSLATE_NOOP("messages", "{path}: already exists"),
            path=str(path),
        )
    )


def check_target(path: str | os.PathLike[str]) -> int | None:
    """Fail now, before slow work, if what is at ``path`` may not be replaced.

    The mode of the regular file there, or None when nothing is there; a
    :class:`WriteError` when it is a folder, a device, a pipe or a socket.
    """
    path = Path(path)
    try:
        info = path.stat()  # follows links: a link to a device is refused too
    except FileNotFoundError:
        return None  # nothing there, or a dangling link: the rename replaces the link
    except OSError as err:
        raise _cannot_write(path, err) from None
    if stat.S_ISREG(info.st_mode):
        return stat.S_IMODE(info.st_mode)
    kind = next((name for test, name in _KINDS if test(info.st_mode)), _IRREGULAR)
    raise WriteError(
        Message(
            "writing.not_regular",
            QT_TRANSLATE_NOOP(
                "messages", "{path}: {kind}, not a regular file; refusing to replace it"
            ),
            path=str(path),
            kind=kind,
        )
    )


def _temporary(path: Path) -> tuple[int, Path]:
    """A new, uniquely named file beside ``path``, open for writing: (descriptor, name).

    Like ``mkstemp``, but made with mode 0666 less the umask, as a plain ``open()``
    would make the file itself (reading the umask would mean setting it, which
    races with other threads making files).
    """
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    for _ in range(100):
        tmp = path.parent / f".{path.name}.{secrets.token_hex(4)}.tmp"
        try:
            return os.open(tmp, flags, 0o666), tmp
        except FileExistsError:
            continue  # another writer's: pick another name
    raise FileExistsError(errno.EEXIST, "no free temporary name", str(path.parent))


def _sync_folder(folder: Path) -> None:
    """Flush the folder's entry for the new name to disk, where the system allows it."""
    flags = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0)
    try:
        fd = os.open(folder, flags)
    except OSError:
        return  # e.g. Windows, which cannot open a folder; the rename is still atomic
    try:
        os.fsync(fd)
    except OSError:
        pass  # some file systems cannot sync a folder (EINVAL); the data itself is synced
    finally:
        os.close(fd)


def _claim(tmp: Path, path: Path) -> None:
    """Give the finished ``tmp`` the name ``path`` only if nothing has that name yet."""
    try:
        os.link(tmp, path)  # atomic, and fails if the name exists: no check-then-write race
        return
    except FileExistsError:
        raise _already_exists(path) from None
    except OSError as err:
        if err.errno not in _NO_LINKS:
            raise
    # No hard links here: claim the name with an exclusive create, then rename over it.
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    except FileExistsError:
        raise _already_exists(path) from None
    try:
        os.replace(tmp, path)
    except OSError:
        path.unlink(missing_ok=True)  # our own empty placeholder: nobody else can have it
        raise


def write_atomically(path: str | os.PathLike[str], data: bytes, *, exclusive: bool = False) -> None:
    """Write ``data`` as the whole of ``path``, or leave ``path`` as it was.

    With ``exclusive`` the file must not exist yet: of two writers at once,
    one gets :class:`AlreadyExistsError`. Anything else that stops the write
    is a :class:`WriteError`; neither leaves a temporary file behind.
    """
    path = Path(path)
    mode = check_target(path)
    try:
        fd, tmp = _temporary(path)
    except OSError as err:
        raise _cannot_write(path, err) from None
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        if mode is not None and not exclusive:
            os.chmod(tmp, mode)  # a replaced file keeps its permissions
        if exclusive:
            _claim(tmp, path)
        else:
            os.replace(tmp, path)
    except OSError as err:
        raise _cannot_write(path, err) from None
    finally:
        # After a link the temporary name is a second name of the file; after a
        # replace it is gone; after a failure (or Ctrl-C) it is litter. Never keep it.
        tmp.unlink(missing_ok=True)
    _sync_folder(path.parent)
