"""The changes page: said once in isf_tracker.page_content, drawn by isf_tracker.ui.render."""

from isf_tracker.ui import render

render.page("changes")
