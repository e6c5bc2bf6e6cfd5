"""Python's cycle collector, paused while a build holds the archive in memory.

A build makes millions of objects (every block of every document, every page MkDocs knows) and
few cycles, and the collector walks all the live ones again and again as new ones are made: a
quarter of a rebuild's time at 10,000 documents. What cycles there are live until the process
ends, which is soon.
"""

from __future__ import annotations

import atexit
import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused(until_exit: bool = False) -> Iterator[None]:
    """Off meanwhile. `until_exit`, for a command whose process ends with it: left off, and what
    lives then is frozen (gc.freeze) as the process exits. Turned on again, the collector would walk
    every object made meanwhile at once, as young (0.15 s of a build that adds one document to
    1,000), and the interpreter's last collection would walk them again."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if until_exit:
            atexit.register(gc.freeze)
        elif was_on:
            gc.enable()
