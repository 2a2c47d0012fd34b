"""ISF Tracker: the Streamlit entry point. Navigation and the shared filters; each page lives in pages/."""

import streamlit as st

from isf_tracker.ui import shell

st.set_page_config(page_title="ISF Tracker", page_icon=":material/public:", layout="wide")
page = st.navigation(shell.pages())
with shell.shared_filters(page):
    page.run()
