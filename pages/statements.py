"""Statements page (the code lives in isf_tracker.ui.statements_page)."""

from isf_tracker.ui import statements_page

statements_page.render()
