"""Shared test configuration."""

from __future__ import annotations

import os
from pathlib import Path

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
