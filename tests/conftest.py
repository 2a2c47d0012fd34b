"""Shared fixtures."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest


@pytest.fixture
def write_ledger(tmp_path: Path) -> Callable[..., Path]:
    """Write text or bytes as positions.csv in an empty folder (vocabularies: the shipped ones)."""

    def write(content: str | bytes, name: str = "positions.csv") -> Path:
        path = tmp_path / name
        if isinstance(content, str):
            path.write_text(content, encoding="utf-8", newline="")
        else:
            path.write_bytes(content)
        return path

    return write
