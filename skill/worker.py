"""The gunicorn worker `cramp-relief serve` runs by default: gevent, with deadlines per request.

Anyone on the internet can open a connection to a skill's endpoint. A sync worker serves one
connection at a time, so a handful of connections that send half a request and then wait hold
every worker (measured in bench/stall.py). Under gevent each connection is a greenlet, so
a slow one costs memory, not a worker; and so that it cannot cost memory for ever either:
- the request line and headers must arrive within gunicorn's `keepalive` seconds (gunicorn's
  async workers read them under that timeout when keep-alive is on, so `serve` refuses 0);
- once the headers are in, the body must arrive and the answer be sent within `timeout`
  seconds, else the connection is closed without an answer (never a 5xx).
"""

from __future__ import annotations

from typing import Any

import gevent
from gunicorn.workers.ggevent import GeventWorker


class SkillWorker(GeventWorker):  # type: ignore[misc]
    """gunicorn's gevent worker with a deadline on each request after its headers."""

    def handle_request(self, listener_name: Any, req: Any, sock: Any, addr: Any) -> Any:
        deadline = gevent.Timeout(self.cfg.timeout)
        deadline.start()
        try:
            return super().handle_request(listener_name, req, sock, addr)
        except gevent.Timeout as expired:
            if expired is not deadline:
                raise
            # A client too slow to send its body, or to take the answer. StopIteration is how
            # gunicorn's connection loop is told to close this connection and stop reading it.
            self.log.info("closed a connection: its request took over %ss", self.cfg.timeout)
            raise StopIteration from None
        finally:
            deadline.close()
            # A greenlet runs until it would block, and on a kept-alive connection the next
            # request is often already there: without this, one busy connection can keep the
            # others waiting (p99 1.4 s at 16 connections, measured). Let the others have a turn.
            gevent.sleep(0)
