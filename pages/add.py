"""Add a statement page (the code lives in isf_tracker.ui.add_page)."""

from isf_tracker.ui import add_page

add_page.render()
