"""Run a query in a child process that is killed when it runs past its time limit (Oxigraph
cannot interrupt a running query from the same process)."""

from __future__ import annotations

import multiprocessing as mp
from pathlib import Path
from typing import Any

from kg.errors import KgError, QueryTimeout


def _child(conn: Any, store: str, name: str | None, sparql: str | None, params: dict[str, str],
           fmt: str, limit: int | None, fresh: bool) -> None:
    try:
        import kg
        from kg.queries import format_result

        with kg.open_store(store, read_only=True) as st:
            result = kg.query(st, name, sparql=sparql, params=params, limit=limit if fmt == "table" else None,
                              fresh=fresh)
            conn.send(("ok", format_result(result, fmt)))
    except KgError as exc:
        conn.send(("error", exc))
    except Exception as exc:  # noqa: BLE001 - sent back to the parent as a message
        conn.send(("error", KgError(f"query failed: {type(exc).__name__}: {exc}")))
    finally:
        conn.close()


def run_with_timeout(store: Path, name: str | None, sparql: str | None, params: dict[str, str],
                     fmt: str, limit: int | None, timeout: float, fresh: bool = False) -> str:
    ctx = mp.get_context("fork")
    parent, child = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_child, args=(child, str(store), name, sparql, params, fmt, limit, fresh), daemon=True)
    proc.start()
    child.close()
    if not parent.poll(timeout):
        proc.kill()
        proc.join()
        raise QueryTimeout(f"the query ran longer than {timeout:g} s and was stopped (narrow it, or raise --timeout)")
    status, payload = parent.recv()
    proc.join()
    if status == "error":
        raise payload
    return payload
