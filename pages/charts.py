"""Charts page (the code lives in isf_tracker.ui.charts_page)."""

from isf_tracker.ui import charts_page

charts_page.render()
