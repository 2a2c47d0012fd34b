"""The package's layers: the core knows nothing of Streamlit or HTTP, and the dashboard (`ui/`)
and the static views and API (`web/`) never import each other, so each says nothing the other
does not also get from the core."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "isf_tracker"


def imports(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found |= {f"{node.module}.{alias.name}" for alias in node.names}
    return found


@pytest.mark.parametrize(("layer", "other"), [("ui", "web"), ("web", "ui")])
def test_ui_and_web_never_import_each_other(layer, other):
    for path in sorted((PACKAGE / layer).glob("*.py")):
        crossing = {name for name in imports(path) if name.startswith(f"isf_tracker.{other}")}
        assert crossing == set(), f"{path.name} imports {sorted(crossing)}"


def test_the_core_imports_neither_streamlit_nor_the_layers_above_it():
    for path in sorted(PACKAGE.glob("*.py")):
        found = imports(path)
        assert not {n for n in found if n.split(".")[0] == "streamlit"}, path.name
        assert not {n for n in found if n.startswith(("isf_tracker.ui", "isf_tracker.web"))}, path.name
