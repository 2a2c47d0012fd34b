"""ISF Tracker: a sourced ledger of troop offers to the International Stabilization Force for Gaza."""
