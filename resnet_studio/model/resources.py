"""Will a network fit in memory? Estimated from the analytic pass, before torch allocates.

The layers table already knows, exactly and without tensors, how many modules
a network builds into, how many parameters it has and how many values its
layers output for one image (:class:`~resnet_studio.arch.inference.Summary`).
From those, :func:`check_fits` refuses in one line a network whose weights or
activations cannot fit in the memory available now, instead of letting torch's
allocator fail with a traceback minutes into building it. Torch-free.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path

from resnet_studio.arch.messages import Message
from resnet_studio.arch.translatable import QT_TRANSLATE_NOOP

FLOAT_BYTES = 4  # float32: how the program builds, trains and exports
# One nn.Module's Python objects (its dicts of parameters, buffers, hooks…):
# measured at 2-4 KiB with torch 2.x.
MODULE_BYTES = 4 * 2**10
# Copies of the weights a built network is used with: the weights, their gradients
# and the optimizer's momentum while training; the copy and the serialised bytes of
# an export.
WEIGHT_COPIES = 3
# Images whose activations are held at once in the smallest use of a built network:
# ONNX export traces a batch of 2, and training holds the outputs for the backward pass.
ACTIVATION_IMAGES = 2


class NotEnoughMemory(ValueError):
    """The network would need more memory than there is; one line saying how much."""


@dataclass(frozen=True)
class Estimate:
    """What building and running a network takes, in counts and bytes."""

    modules: int
    params: int
    activations: int  # values output by all layers for one image

    @property
    def weight_bytes(self) -> int:
        return self.params * FLOAT_BYTES * WEIGHT_COPIES

    @property
    def activation_bytes(self) -> int:
        return self.activations * FLOAT_BYTES * ACTIVATION_IMAGES

    @property
    def module_bytes(self) -> int:
        return self.modules * MODULE_BYTES

    @property
    def total_bytes(self) -> int:
        return self.weight_bytes + self.activation_bytes + self.module_bytes


def format_bytes(n: int) -> str:
    """``1536`` → ``1.5 KiB``; ``5 * 2**30`` → ``5.0 GiB``."""
    value = float(n)
    for unit in ("bytes", "KiB", "MiB", "GiB", "TiB", "PiB"):
        if value < 1024 or unit == "PiB":
            return f"{n:,} bytes" if unit == "bytes" else f"{value:,.1f} {unit}"
        value /= 1024
    raise AssertionError("unreachable")


def _meminfo_available(meminfo: Path = Path("/proc/meminfo")) -> int | None:
    """Linux's own estimate of memory available without swapping (``MemAvailable``)."""
    try:
        for line in meminfo.read_text(encoding="ascii", errors="replace").splitlines():
            if line.startswith("MemAvailable:"):
                return int(line.split()[1]) * 1024  # in kB
    except (OSError, ValueError, IndexError):
        pass
    return None


def _reclaimable(stat_file: Path, key: str) -> int:
    """Page cache the kernel would drop for us (``inactive_file`` of ``memory.stat``)."""
    try:
        for line in stat_file.read_text(encoding="ascii").splitlines():
            name, _, value = line.partition(" ")
            if name == key:
                return int(value)
    except (OSError, ValueError):
        pass
    return 0


def _cgroup_room(root: Path = Path("/sys/fs/cgroup")) -> int | None:
    """Room left under a container's memory limit (cgroup v2, then v1), if it has one.

    Its usage counts the page cache, which the kernel gives back on demand, so the
    inactive part of the cache counts as room.
    """
    for limit_file, usage_file, stat_file, cache_key in (
        ("memory.max", "memory.current", "memory.stat", "inactive_file"),
        (
            "memory/memory.limit_in_bytes",
            "memory/memory.usage_in_bytes",
            "memory/memory.stat",
            "total_inactive_file",
        ),
    ):
        try:
            limit = (root / limit_file).read_text(encoding="ascii").strip()
            usage = int((root / usage_file).read_text(encoding="ascii").strip())
        except (OSError, ValueError):
            continue
        if limit.isdigit() and int(limit) < 2**60:  # "max" or a huge number: no limit
            usage -= min(_reclaimable(root / stat_file, cache_key), usage)
            return max(int(limit) - usage, 0)
    return None


def _sysconf_available() -> int | None:
    """Free (or, where that is unknown, total) physical memory from ``sysconf``."""
    for pages in ("SC_AVPHYS_PAGES", "SC_PHYS_PAGES"):
        try:
            return os.sysconf(pages) * os.sysconf("SC_PAGE_SIZE")
        except (ValueError, OSError, AttributeError):
            continue
    return None


def _windows_available() -> int | None:
    import ctypes

    class MemoryStatus(ctypes.Structure):
        _fields_ = [
            ("length", ctypes.c_ulong),
            ("load", ctypes.c_ulong),
            ("total_phys", ctypes.c_ulonglong),
            ("avail_phys", ctypes.c_ulonglong),
            ("total_page", ctypes.c_ulonglong),
            ("avail_page", ctypes.c_ulonglong),
            ("total_virtual", ctypes.c_ulonglong),
            ("avail_virtual", ctypes.c_ulonglong),
            ("avail_extended", ctypes.c_ulonglong),
        ]

    status = MemoryStatus()
    status.length = ctypes.sizeof(MemoryStatus)
    if not ctypes.windll.kernel32.GlobalMemoryStatusEx(ctypes.byref(status)):  # type: ignore[attr-defined]
        return None
    return int(status.avail_phys)


def available_memory() -> int | None:
    """Bytes of memory this process can use now; None where the system does not say."""
    if sys.platform == "win32":
        try:
            return _windows_available()
        except (OSError, AttributeError, ValueError):
            return None
    found = [n for n in (_meminfo_available() or _sysconf_available(), _cgroup_room()) if n]
    return min(found) if found else None


def check_fits(name: str, need: Estimate, available: int | None = None) -> None:
    """Raise :class:`NotEnoughMemory` unless ``need`` fits in the memory available.

    ``available`` defaults to :func:`available_memory`; where the system does
    not say, nothing is refused.
    """
    if available is None:
        available = available_memory()
    if available is None or need.total_bytes <= available:
        return
    raise NotEnoughMemory(
        Message(
            "resources.too_large",
            QT_TRANSLATE_NOOP(
                "messages",
                "{name} is too large to build here: {modules:,} layers and {params:,} "
                "parameters, with {activations:,} activation values per image, need about "
                "{total} (weights and their copies {weights}, activations {activation_bytes}, "
                "modules {module_bytes}), but {available} of memory is available; use fewer "
                "or smaller layers, or a smaller input",
            ),
            name=name,
            modules=need.modules,
            params=need.params,
            activations=need.activations,
            total=format_bytes(need.total_bytes),
            weights=format_bytes(need.weight_bytes),
            activation_bytes=format_bytes(need.activation_bytes),
            module_bytes=format_bytes(need.module_bytes),
            available=format_bytes(available),
        )
    )
