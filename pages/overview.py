"""Overview: headline figures, current positions and the ledger."""

from isf_tracker.ui import overview

overview.render()
