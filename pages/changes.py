"""What changed page (the code lives in isf_tracker.ui.changes_page)."""

from isf_tracker.ui import changes_page

changes_page.render()
