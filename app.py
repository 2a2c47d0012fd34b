"""ISF Tracker: the Streamlit entry point. Navigation only; each page lives in pages/."""

import streamlit as st

st.set_page_config(page_title="ISF Tracker", page_icon=":material/public:", layout="wide")
navigation = st.navigation([st.Page("pages/overview.py", title="Overview", default=True)])
navigation.run()
