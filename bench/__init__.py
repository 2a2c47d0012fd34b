"""The benchmark, the load test and the screenshot tool: not part of the installed package; run
from the checkout. docs/performance.md gives their commands and what each figure means."""
