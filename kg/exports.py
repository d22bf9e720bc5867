"""Export the store: Turtle (the union of all graphs), TriG and N-Quads (one graph per
article), JSON-LD (the dataset)."""

from __future__ import annotations

import os
from typing import Any, BinaryIO

from kg.errors import OutputError, UsageError

FORMATS = ("turtle", "trig", "nquads", "jsonld")
EXTENSIONS = {".ttl": "turtle", ".trig": "trig", ".nq": "nquads", ".jsonld": "jsonld", ".json": "jsonld"}


def format_for(path: str | None, fmt: str | None) -> str:
    if fmt:
        if fmt not in FORMATS:
            raise UsageError(f"unknown export format {fmt!r} (use {', '.join(FORMATS)})")
        return fmt
    if path:
        ext = os.path.splitext(path)[1].lower()
        if ext in EXTENSIONS:
            return EXTENSIONS[ext]
    return "turtle"


def export(store: Any, fmt: str, output: str | os.PathLike[str] | BinaryIO) -> None:
    """Write the store in ``fmt`` to a path (written atomically) or a binary stream."""
    if isinstance(output, (str, os.PathLike)):
        path = os.fspath(output)
        tmp = f"{path}.tmp{os.getpid()}"
        try:
            with open(tmp, "wb") as fh:
                _export(store, fmt, fh)
            os.replace(tmp, path)
        except OSError as exc:
            try:
                os.unlink(tmp)
            except OSError:
                pass
            raise OutputError(f"{path}: cannot write the export ({exc.strerror})") from exc
        return
    _export(store, fmt, output)


def _export(store: Any, fmt: str, fh: BinaryIO) -> None:
    store.dump(fh, fmt)
