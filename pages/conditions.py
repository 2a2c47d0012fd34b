"""Conditions page (the code lives in isf_tracker.ui.conditions_page)."""

from isf_tracker.ui import conditions_page

conditions_page.render()
