"""The benchmark's targets, and its figures as plain-text tables."""

from __future__ import annotations

from typing import Any

from bench.reruns import NONE_CHOSEN

RERUN_RATIO = 10.0  # page rerun / empty page rerun, on any ledger
GROWTH = 3.0  # page rerun at the largest synthetic size / at the shipped size
FIRST_LOAD_S = 1.0  # first load of the smallest synthetic ledger (10,000 statements)
COLD_OPEN_RATIO = 2.0  # cold open from a shared link / cold open of the empty page (issue 12)
REDRAW_MS = 300.0  # filter change → main panel (and each chart) redrawn, median, every page
KILOBYTES = 50.0  # websocket bytes per filter change, max
SNAPSHOT_RATIO = 1.0  # static snapshot / Datasette's filtered table, cold open
CRAWL_REDRAW_RATIO = 1.5  # sessions' median redraw with a crawler / without (issue 19)
CRAWL_CHEAP_RATIO = 10.0  # the cheap API request during the crawl / idle, median
CRAWL_LONGEST_S = 10.0  # the crawler's longest request


def target(what: str, where: str, value: float | None, limit: float, unit: str = "") -> dict[str, Any]:
    """A target and whether `value` meets it (None: not measured, so neither met nor missed)."""
    met = None if value is None else value <= limit if limit else value == 0
    return {"target": what, "where": where, "value": value, "limit": limit, "unit": unit, "met": met}


def worst(what: str, rows: dict[str, dict], column: str, limit: float, unit: str) -> dict[str, Any]:
    """The target judged on the row with the highest value (a page that raised has none)."""
    values = {name: row[column] for name, row in rows.items() if row.get(column) is not None}
    name = max(values, key=values.__getitem__, default="–")
    return target(f"{what}, worst page", name, values.get(name), limit, unit)


def targets(figures: dict[str, Any]) -> list[dict[str, Any]]:
    """Each target with the figure it is judged on and whether it is met."""
    own = [t for section in figures.values() if isinstance(section, dict) for t in section.get("targets", [])]
    found = crawl_targets(figures["crawl"]) if "crawl" in figures else []
    if "reruns" not in figures:
        return found + own
    rerun = figures["reruns"]
    rows, sizes = rerun["rows"], list(rerun["first load s"])[1:]
    found.append(worst("page rerun / empty page (shipped)", rows, "× empty", RERUN_RATIO, "×"))
    if sizes:
        small, large = sizes[0], sizes[-1]
        what = f"{NONE_CHOSEN}: rerun / empty page at {small} ({rerun['countries'][small]} countries)"
        first_load = rerun["first load s"][small]
        found += [
            target(what, "country", rerun["none chosen × empty"][small], RERUN_RATIO, "×"),
            worst(f"page rerun at {large} / shipped", rows, f"{large} × shipped", GROWTH, "×"),
            target(f"first load of {small} statements", "load_dataset", first_load, FIRST_LOAD_S, "s"),
        ]
    raised = ", ".join(f"{error['page']} ({error['ledger']})" for error in rerun["errors"]) or "none"
    found.append(target("pages that raised under AppTest", raised, len(rerun["errors"]), 0))
    if "cold opens" not in figures:
        return found + own
    opened, changes = figures["cold opens"]["rows"], figures["filter changes"]["rows"]
    views = figures["static views"]["rows"]
    snapshots = {name: row for name, row in views.items() if name.startswith("snapshot")}
    geometry = sum(row["geometry requests"] for row in changes.values())
    errors = sum(row["errors"] for row in (*opened.values(), *changes.values()))
    found += [
        worst("cold open from a shared link / empty page (median)", opened, "× empty", COLD_OPEN_RATIO, "×"),
        worst("filter change → main panel redrawn (median)", changes, "main panel ms", REDRAW_MS, "ms"),
        worst("filter change → chart redrawn (median)", changes, "chart ms", REDRAW_MS, "ms"),
        worst("websocket KB per filter change (max)", changes, "KB max", KILOBYTES, "KB"),
        target("map geometry requests after filter changes", "all pages", geometry, 0),
        target("errors in cold opens and filter changes", "all pages", errors, 0),
        worst(
            "static snapshot / Datasette cold open (median)", snapshots, "× Datasette", SNAPSHOT_RATIO, "×"
        ),
    ]
    if "many viewers" in figures:
        *_, many = figures["many viewers"]["rows"]["errors"].items()
        found.append(target(f"errors with {many[0]} at once", "many viewers", many[1], 0))
    return found + own


def crawl_targets(crawl: dict[str, Any]) -> list[dict[str, Any]]:
    rows, crawled = crawl["rows"], crawl["crawler"]
    others = sum(n for status, n in crawled["statuses"].items() if status not in ("200", "429", "503"))
    redraw, cheap = rows["sessions' median redraw ms"]["ratio"], rows["cheap API request, median ms"]["ratio"]
    return [
        target("sessions' median redraw, crawler / none", "crawl", redraw, CRAWL_REDRAW_RATIO, "×"),
        target("cheap API request, crawl / idle (median)", "crawl", cheap, CRAWL_CHEAP_RATIO, "×"),
        target("crawler's longest request", "crawl", crawled["longest s"], CRAWL_LONGEST_S, "s"),
        target("crawler answers other than 200, 429, 503", "crawl", others, 0),
    ]


def cell(column: str, value: Any) -> str:
    """A figure as printed: ratios to two decimals, times and sizes to one, each run of a list."""
    if value is None:
        return "–"
    if isinstance(value, list):
        return " / ".join(f"{each:,.0f}" for each in value)
    if isinstance(value, float):
        return f"{value:,.2f}" if "×" in column else f"{value:,.1f}"
    return f"{value:,}" if isinstance(value, int) else str(value)


def table(rows: dict[str, dict[str, Any]]) -> str:
    """A row per key, a column per figure; words to the left, figures to the right."""
    columns = list(dict.fromkeys(column for row in rows.values() for column in row))
    lines = [["", *columns], *([name, *(cell(c, row.get(c)) for c in columns)] for name, row in rows.items())]
    widths = [max(map(len, column)) for column in zip(*lines, strict=True)]
    aligns = [">" if any(c[:1].isdigit() for c in column[1:]) else "<" for column in zip(*lines, strict=True)]
    lines.insert(1, ["-" * width for width in widths])
    return "\n".join(
        "  ".join(f"{c:{a}{w}}" for c, a, w in zip(line, aligns, widths, strict=True)) for line in lines
    )


def text(figures: dict[str, Any]) -> str:
    machine = ", ".join(f"{key} {value}" for key, value in figures["machine"].items())
    out = [
        f"ISF Tracker benchmark, {figures['measured']}. Machine: {machine}",
        f"Load average at the end: {figures['load average at the end']:.2f} (other work moves the figures)",
    ]
    for section in (value for value in figures.values() if isinstance(value, dict) and "rows" in value):
        out += ["", section["title"], table(section["rows"]), *section.get("notes", [])]
    rows = {
        t["target"]: {
            "where": t["where"],
            "value": f"{cell(t['unit'], t['value'])} {t['unit']}".strip(),
            "limit": f"{t['limit']:g} {t['unit']}".strip(),
            "met": {True: "yes", False: "NO", None: "–"}[t["met"]],
        }
        for t in figures["targets"]
    }
    return "\n".join([*out, "", "Targets", table(rows)])
