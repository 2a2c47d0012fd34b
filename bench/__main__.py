"""`python -m bench`: measure page reruns, large ledgers and the browser; print the figures."""

from __future__ import annotations

import argparse
import json
import sys

from bench import report, run


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--runs", type=int, default=15, help="reruns per page and ledger (median taken)")
    parser.add_argument("--sizes", type=int, nargs="*", default=list(run.SIZES),
                        help="synthetic ledger sizes to measure")  # fmt: skip
    parser.add_argument("--repeats", type=int, default=6, help="filter changes per page in the browser")
    parser.add_argument("--no-browser", action="store_true", help="skip the Chromium measurements")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args(argv)

    def log(message: str) -> None:
        print(f"… {message}", file=sys.stderr, flush=True)

    figures = run.run(args.runs, tuple(args.sizes), not args.no_browser, args.repeats, log)
    print(json.dumps(figures, indent=2) if args.json else report.text_report(figures))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
