"""Where the ontology, shapes and canned queries live: inside the installed package
(``kg/_data/``, put there by the wheel build) or, in a source checkout, at the repository root."""

from __future__ import annotations

from functools import cache
from pathlib import Path

_PKG = Path(__file__).resolve().parent


@cache
def data_dir(name: str) -> Path:
    """``ontology`` or ``queries``."""
    for candidate in (_PKG / "_data" / name, _PKG.parent / name):
        if candidate.is_dir():
            return candidate
    from kg.errors import InstallationError

    raise InstallationError(f"kg's {name}/ folder is missing from the installation (reinstall kg: pip install -e .)")


def ontology_file(name: str = "kg.ttl") -> Path:
    return data_dir("ontology") / name
