"""The benchmark and the load test: not part of the installed package; run from the checkout.

python -m bench [--json] [--no-browser]                every figure, measured in one run
python -m bench --sizes 10000 --opens 1 --repeats 2    a shorter run
python -m bench.load --sessions 20 --seconds 60        many browser sessions at once
"""
