"""Map page (the code lives in isf_tracker.ui.map_page)."""

from isf_tracker.ui import map_page

map_page.render()
