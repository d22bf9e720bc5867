"""kg: a knowledge-graph builder for news.

The public API (see :mod:`kg.api`) is imported lazily so that ``import kg`` and ``kg --help``
stay instant::

    import kg
    with kg.open_store("kg-store") as store:
        kg.ingest(["seeds"], store)
        print(kg.query(store, "people").rows)
"""

from __future__ import annotations

from typing import Any

__version__ = "0.1.0"

__all__ = ["open_store", "ingest", "query", "precompute", "update", "list_queries", "export", "visualize",
           "stats", "validate", "remove", "explain", "entities", "merge", "split", "network",
           "network_stats", "network_paths", "network_export", "push", "run_eval", "serve_sparql", "KgError",
           "__version__"]


def __getattr__(name: str) -> Any:
    if name == "KgError":
        from kg.errors import KgError

        return KgError
    if name in __all__:
        from kg import api

        return getattr(api, name)
    raise AttributeError(f"module 'kg' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(__all__)
