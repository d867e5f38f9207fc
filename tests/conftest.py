"""Shared test configuration."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import psutil
import pytest

# Must be set before anything imports Qt, so GUI tests run without a display.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

# The repository lives at <root>/main; shared data sets at <root>/shared/data.
SHARED_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """Path to the shared data sets (MNIST, FashionMNIST, CIFAR-10 subset)."""
    if not SHARED_DATA.is_dir():
        pytest.skip(f"shared data directory not found: {SHARED_DATA}")
    return SHARED_DATA


@pytest.fixture
def sleeper() -> Iterator[psutil.Process]:
    """A live process that is not this one."""
    proc = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(120)"])
    try:
        yield psutil.Process(proc.pid)
    finally:
        proc.kill()
        proc.wait()


@pytest.fixture
def zombie() -> Iterator[psutil.Process]:
    """A child that has exited and that nobody has reaped yet."""
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    process = psutil.Process(proc.pid)
    try:
        deadline = time.monotonic() + 60
        while process.status() != psutil.STATUS_ZOMBIE:  # psutil reads, never reaps
            assert time.monotonic() < deadline, "the child never exited"
            time.sleep(0.01)
        yield process
    finally:
        proc.wait()
