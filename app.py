"""ISF Tracker: the Streamlit entry point. Navigation and the shared filters; each page lives in pages/."""

from pathlib import Path

import streamlit as st

from isf_tracker.ui import shell

# A local file: a Material icon name would make every browser fetch the icon from Google.
ICON = str(Path(__file__).parent / "static" / "favicon.png")
st.set_page_config(page_title="ISF Tracker", page_icon=ICON, layout="wide")
page = st.navigation(shell.pages())
with shell.shared_filters(page):
    page.run()
