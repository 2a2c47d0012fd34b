"""Renders run in processes of their own: the whole of one (`draw`: the view's data, its specs,
its HTML), not only vl-convert. vl-convert holds the GIL while it draws (vl-convert-python 1.9: a
thread spinning beside a map's PNG got no turn in 1.8 s), and building a new view's specs is
0.1–0.5 s of pandas and Python; either, in a thread of the app's process, slows every request and
dashboard session beside it (the crawl in docs/performance.md).

As many processes as render threads (`limits.workers`): each thread waits for one render at a
time. They run only on CPU time the readers leave: Linux's SCHED_IDLE (elsewhere, `nice` NICE),
and never on the first core. SCHED_IDLE alone was not enough: beside 5 sessions, a drawing
process free to run on both cores, with 4–12 % of a core, doubled the readers' wait for one
(docs/performance.md, the crawl); kept off the first core, it costs them next to nothing. A drawing
process loads the data itself, from the paths in the view's data version. Spawned, not forked
(the app's process runs threads): a script that draws must guard its main part with
`if __name__ == "__main__"`, as multiprocessing requires.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any, TypeVar

import vl_convert as vlc

from isf_tracker.web import limits

NICE = 10
SETTINGS_PREFIX = "ISF_TRACKER_"
T = TypeVar("T")
_pool: ProcessPoolExecutor | None = None
_lock = threading.Lock()
#: True in a drawing process: what it is asked to draw is drawn there, not sent on.
_in_drawing_process = False


def _run(function: Any, *args: Any, **kwargs: Any) -> Any:
    global _pool
    if _in_drawing_process:
        return function(*args, **kwargs)
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
    global _in_drawing_process
    _in_drawing_process = True
    os.nice(NICE)
    if hasattr(os, "SCHED_IDLE"):  # Linux: any process may lower its own policy to this
        os.sched_setscheduler(0, os.SCHED_IDLE, os.sched_param(0))
    if hasattr(os, "sched_setaffinity") and len(cores := os.sched_getaffinity(0)) > 1:
        os.sched_setaffinity(0, cores - {min(cores)})  # the first core is the readers' alone

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1)
        os._exit(0)

    threading.Thread(target=watch, daemon=True).start()


def draw(build: Callable[[], T]) -> T:
    """`build()` run in a drawing process: a picklable callable (a module's function, or a
    functools.partial of one), whose result is sent back. It runs under the app's settings as
    they are now (the ISF_TRACKER_* variables), not as they were when the process started."""
    settings = {key: value for key, value in os.environ.items() if key.startswith(SETTINGS_PREFIX)}
    return _run(_with_settings, settings, build)


def _with_settings(settings: dict[str, str], build: Callable[[], T]) -> T:
    for key in [key for key in os.environ if key.startswith(SETTINGS_PREFIX) and key not in settings]:
        del os.environ[key]
    os.environ.update(settings)
    return build()


def svg(spec: str) -> str:
    """A Vega-Lite spec (JSON) as SVG, loading nothing from anywhere."""
    return _run(vlc.vegalite_to_svg, spec, allowed_base_urls=[])


def png(drawn: str, scale: float) -> bytes:
    return _run(vlc.svg_to_png, drawn, scale=scale)
