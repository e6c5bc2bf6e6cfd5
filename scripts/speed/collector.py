"""Python's cycle collector, paused while a build holds the archive in memory.

A build makes millions of objects (every block of every document, every page MkDocs knows) and
few cycles, and the collector walks all the live ones again and again as new ones are made: a
quarter of a rebuild's time at 10,000 documents. What cycles there are live until the process
ends, which is soon.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused() -> Iterator[None]:
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()
