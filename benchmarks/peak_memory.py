"""Run a command and print its wall time and the peak resident memory of its whole process tree
(read every 20 ms from /proc; Linux). Used for the limits figures in docs/reliability.md:

    python benchmarks/peak_memory.py .venv/bin/kg query --store kg-store --sparql Q

A process tree, not the command alone: kg runs queries in children of a helper process, which
``/usr/bin/time`` does not count (the kernel reaps them).
"""

from __future__ import annotations

import os
import subprocess
import sys
import time


def tree(root: int) -> list[int]:
    """``root`` and every process descending from it."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as fh:
                ppid = int(fh.read().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
        children.setdefault(ppid, []).append(int(entry))
    out, todo = [], [root]
    while todo:
        pid = todo.pop()
        out.append(pid)
        todo += children.get(pid, [])
    return out


def resident(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/statm") as fh:
            return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


def main(argv: list[str]) -> int:
    if not argv:
        print(__doc__)
        return 2
    started = time.time()
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak = 0
    while proc.poll() is None:
        peak = max(peak, sum(resident(p) for p in tree(proc.pid)))
        time.sleep(0.02)
    message = proc.stderr.read().decode(errors="replace").strip() if proc.stderr else ""
    print(f"{time.time() - started:.1f} s, peak tree RSS {peak / 2**20:.0f} MiB, exit {proc.returncode}"
          + (f": {message[:300]}" if message else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
