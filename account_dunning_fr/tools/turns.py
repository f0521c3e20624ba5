"""One thread of the night at a time in the parts of a batch that are
Python's work (computing the claims, rendering the emails).

The scheduler's run reminds two batches at once, in two threads of one
process (night/account_dunning_run_threads.py): one interpreter lock, so
their Python does not add up; what one thread gains is the other's time in
PostgreSQL. Left alone, the two batches, of the same size and started
together, went through the same steps at the same pace (the interpreter
lock is fair) and wrote their rows at the same moment: both threads waited
for PostgreSQL 0.98 s of a 4.1-second night (measured), Python idle. Taking
turns in the Python-heavy parts puts one batch's writes beside the other's
Python.

Only reads happen in a turn, which never wait for another transaction's
locks; should one still wait (a write flushed there, on a row the other
thread holds), the other thread stops waiting for its turn after
``TURN_TIMEOUT`` seconds and goes on: slower, never stuck.
"""

import threading
from contextlib import contextmanager

TURN_TIMEOUT = 5.0
_TURN = threading.RLock()


@contextmanager
def python_turn():
    """The ``with`` block, in turn with the other threads of the process
    that are in one (a thread alone never waits)."""
    acquired = _TURN.acquire(timeout=TURN_TIMEOUT)
    try:
        yield
    finally:
        if acquired:
            _TURN.release()
