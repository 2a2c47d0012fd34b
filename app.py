"""ISF Tracker: `streamlit run app.py` serves the dashboard and its HTTP routes from one process.
The pages are the scripts in pages/; around them Streamlit runs isf_tracker/ui/navigation.py."""

import gc
import sys
from pathlib import Path

import streamlit as st

from isf_tracker import paths
from isf_tracker.web import routes

paths.use_checkout(Path(__file__).parent)
app = st.App(paths.NAVIGATION_SCRIPT, routes=routes.routes(), middleware=routes.middleware())
# Streamlit collects garbage in full after every script run, holding the GIL while it walks every
# object; those imported by now (95% of them) live as long as the server, so they are left out of
# every collection: a full one goes from ~100 ms to under 1 ms (docs/performance.md, the crawl).
gc.freeze()
# The event loop gives up the GIL at every socket and file call and must take it back from a
# script run: by default it waits up to 5 ms each time, here 0.5 ms (the crawl, docs/performance.md).
sys.setswitchinterval(0.0005)
