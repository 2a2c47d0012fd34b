"""`python -m bench`: measure page reruns, large ledgers, cold opens, filter changes and static
views (against an empty Streamlit page and Datasette, measured in the same run); print the figures."""

from __future__ import annotations

import argparse
import contextlib
import json
import sys

from bench import report, run


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--runs", type=int, default=15, help="reruns per page and ledger (median taken)")
    parser.add_argument("--sizes", type=int, nargs="*", default=list(run.SIZES),
                        help="synthetic ledger sizes to measure")  # fmt: skip
    parser.add_argument("--repeats", type=int, default=6, help="filter changes per page in the browser")
    parser.add_argument("--opens", type=int, default=3, help="cold opens of each page (median taken)")
    parser.add_argument("--no-browser", action="store_true", help="skip the Chromium measurements")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args(argv)

    def log(message: str) -> None:
        print(f"… {message}", file=sys.stderr, flush=True)

    # Only the figures go to stdout: what a page prints while measured (a traceback) goes to stderr.
    with contextlib.redirect_stdout(sys.stderr):
        figures = run.run(args.runs, tuple(args.sizes), not args.no_browser, args.repeats, log, args.opens)
    print(json.dumps(figures, indent=2) if args.json else report.text_report(figures))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
