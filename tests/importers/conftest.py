"""Fixture files for the importer tests: the committed excerpts, and the real samples in ../shared."""

from __future__ import annotations

from pathlib import Path

import pytest

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
# ../shared/data beside the checkout (in a worktree, further up: the nearest ancestor that has one).
SHARED_DATA = next(
    (folder / "shared" / "data" for folder in Path(__file__).resolve().parents[2:] if (folder / "shared" / "data").is_dir()),
    Path(__file__).resolve().parents[3] / "shared" / "data",
)


@pytest.fixture
def gdelt_excerpt() -> Path:
    return FIXTURES / "gdelt" / "20191024143000.excerpt.export.CSV"


@pytest.fixture
def icews_rows() -> Path:
    return FIXTURES / "icews" / "events.2018.fictional.tab"


def shared_file(*parts: str) -> Path:
    """A file of ../shared/data, or a skip that says what is missing."""
    path = SHARED_DATA.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} is absent: the real-sample tests need the shared reference data (../shared/data)")
    return path
