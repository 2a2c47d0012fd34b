"""The benchmark's targets: printed beside the figures, never asserted by a test."""

RERUN_RATIO_TARGET = 10.0  # page rerun / empty page rerun, shipped data
GROWTH_TARGET = 3.0  # page rerun at 100,000 statements / at the shipped size
FIRST_LOAD_TARGET_S = 1.0  # loading a realistic ledger (the smallest size, 10,000 statements), cold
COLD_OPEN_RATIO_TARGET = 2.0  # cold open from a shared link / cold open of an empty page (issue 12)
REDRAW_TARGET_MS = 300.0  # filter change → main panel (and each chart) redrawn, median, every page
KILOBYTES_TARGET = 50.0  # websocket bytes per filter change, max
SNAPSHOT_RATIO_TARGET = 1.0  # static snapshot / Datasette's filtered table view, cold open
