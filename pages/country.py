"""Country page (the code lives in isf_tracker.ui.country_page)."""

from isf_tracker.ui import country_page

country_page.render()
