"""The benchmark, the load test and the screenshot tool: not part of the installed package; run
from the checkout (docs/performance.md).

python -m bench [--json] [--no-browser]                     every figure, measured in one run
python -m bench --sizes 10000 --opens 1 --sessions 0        a shorter run
python -m bench.screenshots --out DIR [--only PAGE ...]     every page at 1400 and 390 px
"""
