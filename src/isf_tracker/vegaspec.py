"""An Altair chart as a Vega-Lite spec whose datasets have names that do not change with the rows.

Altair names each dataset by a hash of its rows, so any filter change gives a new spec, and
a browser that is sent a new spec draws the chart again from scratch. Under names that
depend only on the chart (`ranges-0`, `ranges-1`), a filter change leaves the spec as it
was and only the datasets change, which the browser swaps into the drawn chart.
"""

from __future__ import annotations

import json
from typing import Any

import altair as alt
import pandas as pd

Spec = dict[str, Any]

# Altair refuses a chart of more than 5,000 rows (MaxRowsError), meant for notebooks. Our charts
# are bounded where they are built (derived.TIMELINE_POINTS; the matrix has one row per cell of
# the countries shown), and a ledger of 10,000 statements gives a matrix of ~5,500 cells, which
# must draw, not fail. Set once for the process, before any chart is converted.
alt.data_transformers.disable_max_rows()


#: Several legends under a chart stack, each starting at the left edge: side by side they run past
#: a phone's width (Vega lays legends of one orient out in a row by default).
LEGEND_LAYOUT = {"bottom": {"direction": "vertical", "anchor": "start"}}
#: No chart text under 11 px, on a phone too (Vega's defaults are 10 px for labels).
FONT = {"labelFontSize": 11, "titleFontSize": 12}


def stable_spec(chart: alt.TopLevelMixin, prefix: str) -> Spec:
    """The chart's spec with datasets `{prefix}-0`, `{prefix}-1`, … as DataFrames (tables) or
    as they were (GeoJSON/TopoJSON payloads), in the order Altair lists them; legends stacked."""
    spec = chart.to_dict()
    config = spec.setdefault("config", {})
    config["legend"] = {**FONT, **config.get("legend", {}), "layout": LEGEND_LAYOUT}
    config["axis"] = {**FONT, **config.get("axis", {})}
    datasets = spec.pop("datasets", {})
    names = {old: f"{prefix}-{number}" for number, old in enumerate(datasets)}
    renamed = _rename_datasets(spec, names)
    text = json.dumps(renamed)  # a column the spec never names is not sent (nor converted each rerun)
    for old, values in datasets.items():
        frame = pd.DataFrame.from_records(values) if isinstance(values, list) else None
        renamed.setdefault("datasets", {})[names[old]] = (
            values if frame is None else frame[[column for column in frame.columns if column in text]]
        )
    return renamed


def json_spec(spec: Spec) -> Spec:
    """The same spec with every dataset as plain JSON records (for renderers outside Streamlit)."""
    datasets = spec.get("datasets", {})
    return {
        **spec,
        "datasets": {
            name: _records(values) if isinstance(values, pd.DataFrame) else values
            for name, values in datasets.items()
        },
    }


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """Rows as dicts, a gap (NaN, NA, NaT) as None; lists and other containers are values."""
    return frame.astype(object).where(frame.notna(), None).to_dict(orient="records")


def _rename_datasets(node: Any, names: dict[str, str]) -> Any:
    """A copy of `node` in which every `{"data": {"name": old}}` refers to the new name."""
    if isinstance(node, list):
        return [_rename_datasets(item, names) for item in node]
    if not isinstance(node, dict):
        return node
    out = {key: _rename_datasets(value, names) for key, value in node.items()}
    data = out.get("data")
    if isinstance(data, dict) and data.get("name") in names:
        out["data"] = {**data, "name": names[data["name"]]}
    return out
