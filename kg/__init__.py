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

#: the results the API returns (frozen dataclasses), by the module that defines them
_TYPES = {"Explanation": "kg.explanation", "IngestReport": "kg.pipeline", "NetworkStats": "kg.analysis",
          "QueryResult": "kg.queries", "Stats": "kg.counts"}
#: the error tree (see :mod:`kg.errors`)
_ERRORS = ("ClusterError", "InputError", "InstallationError", "KgError", "MissingExtra", "ModelNotInstalled",
           "NotFound", "OutputError", "QueryError", "QueryTimeout", "RunnerError", "ServeError", "StoreError",
           "StoreLocked", "UsageError", "ValidationFailed")
_FUNCTIONS = ("entities", "explain", "export", "ingest", "list_queries", "merge", "network", "network_export",
              "network_paths", "network_stats", "open_store", "precompute", "push", "query", "remove", "run_eval",
              "serve_sparql", "split", "stats", "update", "validate", "visualize")

__all__ = sorted([*_FUNCTIONS, *_TYPES, *_ERRORS, "__version__"])


def __getattr__(name: str) -> Any:
    if name in _ERRORS:
        from kg import errors

        return getattr(errors, name)
    if name in _TYPES:
        import importlib

        return getattr(importlib.import_module(_TYPES[name]), name)
    if name in _FUNCTIONS:
        from kg import api

        return getattr(api, name)
    raise AttributeError(f"module 'kg' has no attribute {name!r}")


def __dir__() -> list[str]:
    return list(__all__)
