"""Sources page (the code lives in isf_tracker.ui.sources_page)."""

from isf_tracker.ui import sources_page

sources_page.render()
