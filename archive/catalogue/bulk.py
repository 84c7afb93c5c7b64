"""Bulk work in one process: reading and writing hundreds of thousands of rows."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector for a bulk step.

    Reading 400,000 rows allocates millions of small acyclic objects; the collector's repeated
    passes over them cost as much as the reading itself (measured: 7.8 s → 3.9 s). Reference
    counting still frees everything; the collector resumes (if it was on) when the step ends."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
