"""The benchmark's figures as a plain-text table, targets beside them."""

from __future__ import annotations

from typing import Any


def _ms(value: float | None) -> str:
    return "–" if value is None else f"{value:,.1f}"


def _table(rows: list[list[str]]) -> str:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = []
    for number, row in enumerate(rows):
        cells = [row[0].ljust(widths[0])] + [c.rjust(w) for c, w in zip(row[1:], widths[1:], strict=True)]
        lines.append("  ".join(cells))
        if number == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def text_report(figures: dict[str, Any]) -> str:
    machine = figures["machine"]
    out = [
        f"ISF Tracker benchmark, {figures['measured']}",
        f"Machine: {machine['cpu']}, {machine['cores']} cores, {machine['memory_gib']} GiB, "
        f"{machine['system']}, Python {machine['python']}",
        "",
    ]
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
            cells = [page, _ms(row["shipped_ms"]), f"{row['ratio_to_empty']:.1f}"]
            for size in sizes:
                cells += [_ms(row[f"{size}_ms"]), f"{row[f'growth_{size}']:.2f}"]
            rows.append(cells)
        out += [_table(rows), ""]
        loads = ", ".join(
            f"{'shipped' if key == 'shipped' else f'{int(key):,}'}: {seconds:.2f} s"
            for key, seconds in reruns["first_load_s"].items()
        )
        out += [f"First load of the ledger (load_dataset, median of 3): {loads}", ""]
    shown = figures.get("browser")
    if shown:
        out.append(
            f"In Chromium (shipped data): cold load until charts are drawn; "
            f"{shown['repeats']} filter changes per page (Minimum troops + Enter)."
        )
        rows = [["page", "cold load ms", "charts", "redraw ms (median)", "redraw ms (max)",
                 "settled ms", "KB/change (max)", "geometry req."]]  # fmt: skip
        for page, change in shown["filter_change"].items():
            rows.append([
                page, _ms(shown["cold_load_ms"][page]), str(shown["charts_drawn"][page]),
                _ms(change["redraw_median_ms"]), _ms(change["redraw_max_ms"]),
                _ms(change["settled_median_ms"]), f"{change['kilobytes_max']:.1f}",
                str(change["geometry_requests"]),
            ])  # fmt: skip
        out += [_table(rows), ""]
    out.append("Targets")
    rows = [["target", "where", "value", "limit", "met"]]
    for target in figures["targets"]:
        unit = target["unit"]
        rows.append([
            target["target"], target["where"], f"{target['value']:,.2f} {unit}".strip(),
            f"{target['limit']:g} {unit}".strip(), "yes" if target["met"] else "NO",
        ])  # fmt: skip
    out.append(_table(rows))
    return "\n".join(out)
