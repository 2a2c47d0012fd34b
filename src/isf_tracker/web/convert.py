"""vl-convert run in processes of its own. It holds the GIL while it draws (vl-convert-python 1.9:
a thread spinning beside a map's PNG got no turn in 1.8 s), so drawn in a thread of the app's
process it would stop every request and every dashboard session for that long.

As many processes as render threads (`limits.workers`): each thread waits for one drawing at a
time. They run at a lower priority (NICE), so the readers' process is served first. Spawned, not
forked (the app's process runs threads): a script that draws must guard its main part with
`if __name__ == "__main__"`, as multiprocessing requires.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any

import vl_convert as vlc

from isf_tracker.web import limits

NICE = 10
_pool: ProcessPoolExecutor | None = None
_lock = threading.Lock()


def _run(function: Any, *args: Any, **kwargs: Any) -> Any:
    global _pool
    with _lock:
        if _pool is None:
            context = multiprocessing.get_context("spawn")
            _pool = ProcessPoolExecutor(limits.workers(), context, _start, (os.getpid(),))
        pool = _pool
    try:
        return pool.submit(function, *args, **kwargs).result()
    except BrokenProcessPool:  # a drawing process died (out of memory): the next render starts anew
        with _lock:
            _pool = None if _pool is pool else _pool
        pool.shutdown(wait=False)
        raise


def _start(parent: int) -> None:
    """In a drawing process: yield to the readers, and end when the app's process is gone."""
    os.nice(NICE)

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1)
        os._exit(0)

    threading.Thread(target=watch, daemon=True).start()


def svg(spec: str) -> str:
    """A Vega-Lite spec (JSON) as SVG, loading nothing from anywhere."""
    return _run(vlc.vegalite_to_svg, spec, allowed_base_urls=[])


def png(drawn: str, scale: float) -> bytes:
    return _run(vlc.svg_to_png, drawn, scale=scale)
