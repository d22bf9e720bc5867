"""``python -m kg.evaluate DATASET [--data PATH] [--split tune|check|all] [--limit N] [--json OUT] [--errors N]``.

Prints the baseline-vs-kg table (see :func:`kg.evaluate.run_eval`); ``--json`` also writes the
full report with counts. Exit code 0, 1 on a user error (one line, no traceback), 2 on usage.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from kg.errors import KgError


def main(argv: list[str] | None = None) -> int:
    from kg.evaluate import DATASETS, format_report, report_json, run_eval

    parser = argparse.ArgumentParser(
        prog="python -m kg.evaluate",
        description="Score kg's extractor and a plain-spaCy baseline on annotated news.",
        epilog="example: python -m kg.evaluate dwie --limit 10 --errors 5",
    )
    parser.add_argument("dataset", choices=DATASETS)
    parser.add_argument("--data", type=Path, help="the dataset's folder (default: ../shared/eval/DATASET)")
    parser.add_argument("--split", choices=("tune", "check", "all"), help="newsclaims: which articles to score")
    parser.add_argument("--limit", type=int, help="only the first N documents")
    parser.add_argument("--json", type=Path, metavar="OUT", help="also write the report as JSON to OUT")
    parser.add_argument("--errors", type=int, default=0, metavar="N",
                        help="list kg's N most frequent false positives and negatives per task")
    args = parser.parse_args(argv)
    try:
        report = run_eval(args.dataset, args.data, args.limit, args.errors, split=args.split)
    except KgError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return exc.exit_code
    print(format_report(report))
    if args.json:
        try:
            args.json.write_text(json.dumps(report_json(report), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        except OSError as exc:
            print(f"error: {args.json}: cannot write: {exc.strerror}", file=sys.stderr)
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
