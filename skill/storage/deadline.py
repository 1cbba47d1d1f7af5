"""A deadline on work done over a socket: past it, the socket is shut so a blocked read returns.

PostgreSQL cancels a slow statement itself (statement_timeout), but a server that cannot answer at
all (stopped, or behind a network that drops packets without a reset) leaves the client's read
waiting for as long as the kernel keeps the connection, which can be hours. One watcher thread
per process keeps every deadline, so watching a statement costs a lock and a dict entry rather
than a thread of its own.
"""

from __future__ import annotations

import contextlib
import os
import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from itertools import count


@dataclass
class _Watched:
    due: float
    fileno: Callable[[], int]
    passed: threading.Event = field(default_factory=threading.Event)


class Deadlines:
    """Shuts the socket of any watched work still running at its deadline."""

    def __init__(self) -> None:
        self._changed = threading.Condition()
        self._watched: dict[int, _Watched] = {}
        self._ids = count()
        self._pid: int | None = None

    @contextlib.contextmanager
    def watch(self, fileno: Callable[[], int], seconds: float) -> Iterator[threading.Event]:
        """Run the body with a deadline `seconds` away; the event is set if it passed (the
        socket `fileno()` names was then shut)."""
        watched = _Watched(time.monotonic() + seconds, fileno)
        key = next(self._ids)
        with self._changed:
            self._start_here()
            self._watched[key] = watched
            self._changed.notify()
        try:
            yield watched.passed
        finally:
            with self._changed:
                self._watched.pop(key, None)

    def _start_here(self) -> None:
        # A thread does not survive a fork: a gunicorn worker starts its own on first use.
        if self._pid != os.getpid():
            self._pid = os.getpid()
            threading.Thread(target=self._run, name="cramp-relief-deadlines", daemon=True).start()

    def _run(self) -> None:
        with self._changed:
            while True:
                now = time.monotonic()
                for key, watched in list(self._watched.items()):
                    if watched.due <= now:
                        del self._watched[key]
                        watched.passed.set()
                        _shut(watched.fileno)
                soonest = min((w.due for w in self._watched.values()), default=None)
                self._changed.wait(None if soonest is None else max(0.0, soonest - now))


def _shut(fileno: Callable[[], int]) -> None:
    # A duplicate of the descriptor: shutdown acts on the socket both share, so the owner's
    # blocked read returns at once.
    with contextlib.suppress(Exception), socket.socket(fileno=os.dup(fileno())) as sock:
        sock.shutdown(socket.SHUT_RDWR)
