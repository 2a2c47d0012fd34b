"""The `isf-tracker` command line.

Exit codes: 0 all good, 1 the data has problems (all of them listed), 2 usage error,
3 the ledger could not be written (disk, folder or lock; nothing changed).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from isf_tracker import datapackage, nginx, paths
from isf_tracker.csvfile import read_table
from isf_tracker.ledger import load_dataset
from isf_tracker.schema import POSITION_COLUMNS
from isf_tracker.writer import append_statements

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, EXIT_STORAGE = 0, 1, 2, 3
LEDGER = "default: $ISF_TRACKER_DATA or data/positions.csv"


def _file(given: str | None) -> Path:
    """The file named on the command line, or the default ledger; one that is not there is a usage
    error."""
    path = Path(given) if given else paths.positions_path()
    if not path.is_file():
        where = (
            f"run it in the checkout (where data/positions.csv is), give a path, or set {paths.DATA_ENV_VAR}"
        )
        raise FileNotFoundError(f"{path}: no such file" + ("" if given else f"; {where}"))
    return path


def _validate(args: argparse.Namespace) -> int:
    path = _file(args.path)
    dataset = load_dataset(path)
    for problem in dataset.problems:
        print(problem)
    count, statements = len(dataset.problems), dataset.statements
    print(
        f"{path}: {len(statements)} valid statements, {statements['iso3'].nunique()} countries, "
        f"{count} problem{'s' if count != 1 else ''}",
        file=sys.stderr if count else sys.stdout,
    )
    return EXIT_PROBLEMS if count else EXIT_OK


def _append(args: argparse.Namespace) -> int:
    rows_path, ledger = _file(args.rows), _file(args.data)
    table = read_table(rows_path, POSITION_COLUMNS)
    problems = list(table.problems)
    if not problems:
        rows, lines = [values for _, values in table.rows], [line for line, _ in table.rows]
        result = append_statements(ledger, rows, lines, str(rows_path))
        if result.storage_error:
            print(f"isf-tracker append: {result.storage_error}", file=sys.stderr)
            return EXIT_STORAGE
        problems = result.problems
    for problem in problems:
        print(problem)
    if problems:
        print(f"{rows_path}: nothing appended ({len(problems)} problems)", file=sys.stderr)
        return EXIT_PROBLEMS
    print(f"appended {len(table.rows)} statements from {rows_path} to {ledger}")
    return EXIT_OK


def _datapackage(args: argparse.Namespace) -> int:
    for path in datapackage.write(Path(args.data_dir), Path(args.docs_dir)):
        print(f"wrote {path}")
    return EXIT_OK


def _nginx_config(args: argparse.Namespace) -> int:
    site = nginx.Site(args.listen, " ".join(args.server_name), args.replica or nginx.REPLICAS,
                      args.cache_dir, args.access_log)  # fmt: skip
    try:
        print(nginx.config(site), end="")
    except ValueError as exc:
        print(f"isf-tracker nginx-config: {exc}", file=sys.stderr)
        return EXIT_USAGE
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="isf-tracker", description="Check and maintain the ISF Tracker ledger of troop offers."
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    validate = commands.add_parser(
        "validate", help="check a positions CSV and its vocabularies; list every problem"
    )
    validate.add_argument("path", nargs="?", help=f"positions CSV ({LEDGER})")
    validate.set_defaults(run=_validate)

    append = commands.add_parser(
        "append", help="append the rows of a CSV to the ledger: all valid, or nothing is written"
    )
    append.add_argument("rows", help="CSV with the ledger's columns, one statement per row")
    append.add_argument("--data", help=f"ledger to append to ({LEDGER})")
    append.set_defaults(run=_append)

    package = commands.add_parser(
        "datapackage", help="regenerate data/datapackage.json and docs/data-dictionary.md"
    )
    package.add_argument("--data-dir", default=str(paths.shipped_data_dir()))
    package.add_argument("--docs-dir", default=str(paths.checkout() / "docs"))
    package.set_defaults(run=_datapackage)

    proxy = commands.add_parser(
        "nginx-config",
        help="print the nginx configuration for replicas: sticky sessions and a cache (docs/deployment.md)",
    )
    proxy.add_argument("--listen", default=nginx.LISTEN, help="address:port nginx listens on (%(default)s)")
    proxy.add_argument(
        "--server-name", nargs="+", default=[nginx.SERVER_NAME], help="host names (%(default)s)"
    )
    proxy.add_argument("--replica", action="append", metavar="HOST:PORT",
                       help=f"a replica, once per replica (default: {' '.join(nginx.REPLICAS)})")  # fmt: skip
    proxy.add_argument("--cache-dir", default=nginx.CACHE_DIR, help="the cache's folder (%(default)s)")
    proxy.add_argument("--access-log", default=nginx.ACCESS_LOG, help="the access log (%(default)s)")
    proxy.set_defaults(run=_nginx_config)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    try:
        args = build_parser().parse_args(argv)  # None: sys.argv[1:]
        return args.run(args)
    except SystemExit as exc:  # argparse exits 2 on usage errors, 0 on --help
        return int(exc.code or 0)
    except FileNotFoundError as exc:
        print(f"isf-tracker {args.command}: {exc}", file=sys.stderr)
        return EXIT_USAGE
