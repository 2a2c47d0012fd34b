"""The script Streamlit runs for every page (st.App's, see app.py): the page setup, navigation and
shared filters around the page's script in pages/.
It lives in the package, away from pages/, so Streamlit never takes the app for an old-style
multipage app: a first visit to a deep link such as /map runs this script, not pages/map.py alone.
"""

import streamlit as st

from isf_tracker import paths
from isf_tracker.ui import shell

# A local file: a Material icon name would make every browser fetch the icon from Google.
st.set_page_config(page_title="ISF Tracker", page_icon=str(paths.static_dir() / "favicon.png"), layout="wide")
page = st.navigation(shell.pages(), position="hidden")  # the links are shell's own (shell._nav)
shell.leave_alias(page)
with shell.shared_filters(page):
    page.run()
if page.url_path != shell.EDITORS_PAGE.url_path:  # the editors' page is linked from every reader's page
    shell.footer()
