"""Shared fixtures: the path to ../shared (gold data, the founding article) and a coded seed article."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


def shared_dir() -> Path:
    """``../shared`` beside the checkout (or $POLEMOS_SHARED); tests that need it fail loudly without it."""
    path = Path(os.environ.get("POLEMOS_SHARED", REPO.parent / "shared"))
    if not path.is_dir():
        pytest.fail(f"shared data folder not found at {path} (set POLEMOS_SHARED)", pytrace=False)
    return path


@pytest.fixture(scope="session")
def shared() -> Path:
    return shared_dir()
