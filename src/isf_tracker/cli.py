"""The `isf-tracker` command line.

Exit codes: 0 all good, 1 the data has problems (all of them listed), 2 usage error,
3 the ledger could not be written (disk, folder or lock; nothing changed).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from isf_tracker import datapackage, paths
from isf_tracker.csvfile import read_table
from isf_tracker.ledger import load_dataset
from isf_tracker.schema import POSITION_COLUMNS
from isf_tracker.writer import append_statements

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, EXIT_STORAGE = 0, 1, 2, 3


def _missing(command: str, path: Path, given: bool) -> int:
    """Usage error: the file is not there (and, for the default, where the default comes from)."""
    where = "run it in the checkout (where data/positions.csv is), give a path"
    hint = "" if given else f"; {where}, or set {paths.DATA_ENV_VAR}"
    print(f"isf-tracker {command}: {path}: no such file{hint}", file=sys.stderr)
    return EXIT_USAGE


def _validate(args: argparse.Namespace) -> int:
    path = Path(args.path) if args.path else paths.positions_path()
    if not path.is_file():
        return _missing("validate", path, bool(args.path))
    dataset = load_dataset(path)
    for problem in dataset.problems:
        print(problem)
    statements = dataset.statements
    summary = (
        f"{path}: {len(statements)} valid statements, {statements['iso3'].nunique()} countries, "
        f"{len(dataset.problems)} problem{'s' if len(dataset.problems) != 1 else ''}"
    )
    print(summary, file=sys.stderr if dataset.problems else sys.stdout)
    return EXIT_PROBLEMS if dataset.problems else EXIT_OK


def _append(args: argparse.Namespace) -> int:
    rows_path = Path(args.rows)
    ledger = Path(args.data) if args.data else paths.positions_path()
    for path, given in ((rows_path, True), (ledger, bool(args.data))):
        if not path.is_file():
            return _missing("append", path, given)
    table = read_table(rows_path, POSITION_COLUMNS)
    problems = list(table.problems)
    if not problems:
        result = append_statements(
            ledger, [row.values for row in table.rows], [row.line for row in table.rows], str(rows_path)
        )
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


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="isf-tracker",
        description="Check and maintain the ISF Tracker ledger of troop offers.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    validate = commands.add_parser(
        "validate", help="check a positions CSV and its vocabularies; list every problem"
    )
    validate.add_argument(
        "path", nargs="?", help="positions CSV (default: $ISF_TRACKER_DATA or data/positions.csv)"
    )
    validate.set_defaults(run=_validate)

    append = commands.add_parser(
        "append", help="append the rows of a CSV to the ledger: all valid, or nothing is written"
    )
    append.add_argument("rows", help="CSV with the ledger's columns, one statement per row")
    append.add_argument(
        "--data", help="ledger to append to (default: $ISF_TRACKER_DATA or data/positions.csv)"
    )
    append.set_defaults(run=_append)

    package = commands.add_parser(
        "datapackage", help="regenerate data/datapackage.json and docs/data-dictionary.md"
    )
    package.add_argument("--data-dir", default=str(paths.shipped_data_dir()))
    package.add_argument("--docs-dir", default=str(paths.checkout() / "docs"))
    package.set_defaults(run=_datapackage)

    return parser


def main(argv: Sequence[str] | None = None) -> int:
    arguments = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser()
    try:
        args = parser.parse_args(arguments)
    except SystemExit as exc:  # argparse exits 2 on usage errors, 0 on --help
        return int(exc.code or 0)
    return args.run(args)


if __name__ == "__main__":
    raise SystemExit(main())
