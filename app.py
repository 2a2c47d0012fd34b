"""ISF Tracker: `streamlit run app.py` serves the dashboard and its HTTP routes from one process.
The pages are the scripts in pages/; around them Streamlit runs isf_tracker/ui/navigation.py."""

from pathlib import Path

import streamlit as st

from isf_tracker import paths
from isf_tracker.web import routes

paths.use_checkout(Path(__file__).parent)
app = st.App(paths.NAVIGATION_SCRIPT, routes=routes.routes(), middleware=routes.middleware())
