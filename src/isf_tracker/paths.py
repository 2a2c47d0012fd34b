"""Where the dashboard finds its files: the checkout's pages/, data/ and static/ folders.

The files stay in the checkout, where people edit them (a copy in site-packages would hide every
edit to the ledger): app.py names the checkout when it starts the server; otherwise it is the folder
the package was imported from (an editable install, the tests), else the working directory.
"""

from __future__ import annotations

import os
from pathlib import Path

DATA_ENV_VAR = "ISF_TRACKER_DATA"
PAGES_DIR, DATA_DIR, STATIC_DIR = "pages", "data", "static"
#: The script Streamlit runs for every page (st.App's script): navigation and shared filters.
NAVIGATION_SCRIPT = Path(__file__).resolve().parent / "ui" / "navigation.py"

_checkout: Path | None = None


def use_checkout(root: str | Path) -> None:
    """Called by app.py: the folder that holds app.py is the checkout."""
    global _checkout
    _checkout = Path(root).resolve()


def _looks_like_checkout(folder: Path) -> bool:
    return (folder / DATA_DIR / "positions.csv").is_file() and (folder / PAGES_DIR).is_dir()


def checkout() -> Path:
    """The folder holding pages/, data/ and static/."""
    if _checkout is not None:
        return _checkout
    source_tree = Path(__file__).resolve().parents[2]  # src/isf_tracker/paths.py -> the checkout
    return next((folder for folder in (source_tree, Path.cwd()) if _looks_like_checkout(folder)), source_tree)


def shipped_data_dir() -> Path:
    """The checkout's data/ folder: the shipped ledger and its vocabularies."""
    return checkout() / DATA_DIR


def static_dir() -> Path:
    """Files the browser loads once (map geometry, page icon), served at /assets/."""
    return checkout() / STATIC_DIR


def pages_dir() -> Path:
    return checkout() / PAGES_DIR


def positions_path() -> Path:
    """The ledger the dashboard reads: $ISF_TRACKER_DATA, else the shipped data/positions.csv."""
    configured = os.environ.get(DATA_ENV_VAR, "").strip()
    return Path(configured) if configured else shipped_data_dir() / "positions.csv"
