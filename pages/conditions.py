from isf_tracker.ui import render

render.page("conditions")
