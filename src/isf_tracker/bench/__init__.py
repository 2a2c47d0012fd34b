"""The benchmark behind `isf-tracker bench`: synthetic ledgers, rerun costs and browser figures."""
