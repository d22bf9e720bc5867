"""Analyst corrections (merge / split), kept in the store's curation graph and applied to every
later ingest. Filled in by `kg merge` and `kg split`."""

from __future__ import annotations

from typing import Any


def load_curation(store: Any) -> Any:
    """The curation rules stored in ``store`` (None when there are none yet)."""
    return None
