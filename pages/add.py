from isf_tracker.ui import add_page

add_page.render()
