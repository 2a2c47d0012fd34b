"""The benchmark's figures as a plain-text table, targets beside them."""

from __future__ import annotations

from typing import Any

from bench.targets import COLD_OPEN_RATIO_TARGET, REDRAW_TARGET_MS, SNAPSHOT_RATIO_TARGET

NOT_MEASURED = "not available yet"


def _ms(value: float | None) -> str:
    return "–" if value is None else f"{value:,.1f}"


def _ratio(value: float | None, digits: int = 2) -> str:
    return "error" if value is None else f"{value:.{digits}f}"


def _table(rows: list[list[str]], left: int = 1) -> str:
    """Rows as aligned columns: the first `left` to the left (words), the others to the right."""
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = []
    for number, row in enumerate(rows):
        cells = [
            c.ljust(w) if i < left else c.rjust(w) for i, (c, w) in enumerate(zip(row, widths, strict=True))
        ]
        lines.append("  ".join(cells))
        if number == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def text_report(figures: dict[str, Any]) -> str:
    machine = figures["machine"]
    out = [
        f"ISF Tracker benchmark, {figures['measured']}",
        f"Machine: {machine['cpu']}, {machine['cores']} cores, {machine['memory_gib']} GiB, "
        f"{machine['system']}, Python {machine['python']}"
        + (f", Streamlit {machine['streamlit']}" if machine.get("streamlit") else ""),
    ]
    if machine.get("load_average") is not None:
        out.append(f"Load average (1 min): {machine['load_average']:.2f} at the start, "
                   f"{figures.get('load_average_end') or 0:.2f} at the end (other work on these cores moves "
                   "the figures).")  # fmt: skip
    out.append("")
    reruns = figures.get("reruns")
    if reruns:
        sizes = [key for key in reruns["first_load_s"] if key != "shipped"]
        out.append(
            f"Page reruns (AppTest, median of {reruns['runs']} warm reruns). "
            f"Empty Streamlit page: {reruns['empty_page_ms']:.2f} ms."
        )
        header = ["page", "shipped ms", "× empty"]
        for size in sizes:
            header += [f"{int(size):,} ms", "× shipped"]
        rows = [header]
        for page, row in reruns["pages"].items():
            cells = [page, _ms(row["shipped_ms"]), _ratio(row["ratio_to_empty"], 1)]
            for size in sizes:
                cells += [_ms(row[f"{size}_ms"]), _ratio(row[f"growth_{size}"])]
            rows.append(cells)
        out += [_table(rows), ""]
        for error in reruns.get("errors", []):
            ledger = "shipped" if error["ledger"] == "shipped" else f"{int(error['ledger']):,} statements"
            out.append(f"The {error['page']} page raised on the {ledger} ledger: {error['error']}")
        if reruns.get("errors"):
            out.append("")
        loads = ", ".join(
            f"{'shipped' if key == 'shipped' else f'{int(key):,}'}: {seconds:.2f} s"
            for key, seconds in reruns["first_load_s"].items()
        )
        out += [f"First load of the ledger (load_dataset, median of 3): {loads}", ""]
    shown = figures.get("browser")
    if shown:
        out += _cold_opens(shown["cold_open"], shown.get("chromium"))
        out += _filter_changes(shown["filter_change"], shown["repeats"])
        out += _static_views(shown.get("static", {}))
    out.append("Targets")
    rows = [["target", "where", "value", "limit", "met"]]
    for target in figures["targets"]:
        unit, value = target["unit"], target["value"]
        rows.append([
            target["target"], target["where"],
            NOT_MEASURED if value is None else f"{value:,} {unit}".strip() if isinstance(value, int)
            else f"{value:,.2f} {unit}".strip(),
            f"{target['limit']:g} {unit}".strip(), {True: "yes", False: "NO", None: "–"}[target["met"]],
        ])  # fmt: skip
    out.append(_table(rows, left=2))
    return "\n".join(out)


def _met(value: float | None, limit: float) -> str:
    return "–" if value is None else "yes" if value <= limit else "NO"


def _cold_opens(cold: dict[str, Any], chromium: str | None) -> list[str]:
    limit = COLD_OPEN_RATIO_TARGET
    rows = [["page", "shared link", "median ms", "× empty", f"≤ {limit:g}×", "charts",
             f"each of {cold['opens']}, ms"]]  # fmt: skip
    for page, row in cold["pages"].items():
        ratio = row["ratio_to_empty"]
        rows.append([page, row["link"], _ms(row["median_ms"]), f"{ratio:.2f}", _met(ratio, limit),
                     str(row["charts"]), " / ".join(f"{ms:,.0f}" for ms in row["runs_ms"])])  # fmt: skip
    return [
        f"In Chromium{f' {chromium}' if chromium else ''}, on the shipped data.",
        f"Cold open from a shared link: a new browser context each time (empty cache, new session), "
        f"median of {cold['opens']};",
        "from navigation start to the last change to the page, once the run has finished, the app is "
        "idle and every chart the run sent is drawn.",
        f"Empty Streamlit page, measured the same way: {cold['empty_page_ms']:,.1f} ms. "
        f"Target: at most {limit:g}× the empty page (issue 12).",
        _table(rows, left=2),
        "",
    ]


def _filter_changes(changes: dict[str, Any], repeats: int) -> list[str]:
    limit = REDRAW_TARGET_MS
    rows = [["page", "main panel ms (median)", "(max)", f"≤ {limit:g} ms", "charts", "chart ms (median)",
             "(max)", "settled ms", "KB/change (max)", "geometry req."]]  # fmt: skip
    for page, change in changes.items():
        worst = max((m for m in (change["main_median_ms"], change["redraw_median_ms"]) if m is not None),
                    default=None)  # fmt: skip
        rows.append([
            page, _ms(change["main_median_ms"]), _ms(change["main_max_ms"]), _met(worst, limit),
            str(change["charts"]), _ms(change["redraw_median_ms"]), _ms(change["redraw_max_ms"]),
            _ms(change["settled_median_ms"]), f"{change['kilobytes_max']:.1f}",
            str(change["geometry_requests"]),
        ])  # fmt: skip
    return [
        f"Filter change: {repeats} per page (type a Minimum troops figure and press Enter; 1,000 and 0 "
        "in turn),",
        "from the key press to the last change of the main panel and, on chart pages, of a chart; the KB "
        "received over the websocket.",
        f"Target: median at most {limit:g} ms on every page (main panel and charts).",
        _table(rows),
        "",
    ]


def _static_views(static: dict[str, Any]) -> list[str]:
    if not static:
        return []
    if not static.get("available"):
        return [f"Static views against Datasette: skipped ({static.get('why', NOT_MEASURED)}).", ""]
    limit = SNAPSHOT_RATIO_TARGET
    datasette = static["datasette"]["median_ms"]
    empty = static["empty_page_ms"]
    rows = [["view", "path", "median ms", "× Datasette", f"≤ {limit:g}×"]]
    rows.append(["Datasette", static["datasette"]["path"], _ms(datasette), "1.00", ""])
    rows.append(["empty Streamlit page", "/", _ms(empty), f"{empty / datasette:.2f}", ""])
    for page, shot in static["snapshots"].items():
        if shot["available"]:
            ratio = shot["ratio_to_datasette"]
            rows.append([f"snapshot: {page}", shot["path"], _ms(shot["median_ms"]), f"{ratio:.2f}",
                         _met(ratio, limit)])  # fmt: skip
        else:
            rows.append([f"snapshot: {page}", shot["path"], NOT_MEASURED, "–", "–"])
    version = f" {static['datasette_version']}" if static.get("datasette_version") else ""
    return [
        f"Static views: Datasette{version}'s filtered table of the same ledger "
        f"({static['database_rows']} rows in SQLite) against our static snapshots, same filter.",
        f"Cold open in a new context, median of {static['opens']}: until the load event, the view's "
        "element present and no request nor change for a while.",
        f"Target: a snapshot at most {limit:g}× Datasette.",
        _table(rows, left=2),
        "",
    ]
