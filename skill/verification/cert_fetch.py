"""Fetching an Alexa signing chain over HTTPS: 3 s in all, 64 KiB at most, no redirects.

The URL has already been checked and made canonical (skill.verification.canonical_cert_url);
this module only fetches it, and knows nothing of caching (skill.verification.cert_cache).
"""

from __future__ import annotations

import queue
import ssl
import threading
import time
import urllib.request
from collections.abc import Callable
from http.client import HTTPResponse
from typing import Any
from urllib.parse import urlsplit

import certifi

FETCH_TIMEOUT_SECONDS = 3.0
MAX_CERT_BYTES = 64 * 1024

_READ_CHUNK = 8192

CertLoader = Callable[[str], bytes]


def default_cert_loader(url: str) -> bytes:
    """HTTPS GET with urllib, timeout 3 s total, refuse more than 64 KiB, using certifi's CA bundle.

    urllib's timeout applies per socket operation, so a server that drips bytes could hold it
    indefinitely; the fetch therefore runs in a daemon thread that the caller stops waiting for at
    the deadline, and which itself gives up at the same deadline.
    """
    if urlsplit(url).scheme.lower() != "https":
        raise ValueError("only https certificate URLs are fetched")
    deadline = time.monotonic() + FETCH_TIMEOUT_SECONDS
    outcome: queue.SimpleQueue[bytes | Exception] = queue.SimpleQueue()

    def run() -> None:
        try:
            outcome.put(_fetch(url, deadline))
        except Exception as exc:
            outcome.put(exc)

    threading.Thread(target=run, name="alexa-cert-fetch", daemon=True).start()
    try:
        result = outcome.get(timeout=FETCH_TIMEOUT_SECONDS)
    except queue.Empty:
        raise TimeoutError("certificate fetch timed out") from None
    if isinstance(result, Exception):
        raise result
    return result


class _RefuseRedirects(urllib.request.HTTPRedirectHandler):
    """Turn redirects into HTTP errors: the certificate must come from the checked URL itself."""

    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


def _fetch(url: str, deadline: float) -> bytes:
    context = ssl.create_default_context(cafile=certifi.where())
    opener = urllib.request.build_opener(
        urllib.request.HTTPSHandler(context=context), _RefuseRedirects()
    )
    request = urllib.request.Request(url, headers={"User-Agent": "cramp-relief"})
    with opener.open(request, timeout=_remaining(deadline)) as response:
        length = response.headers.get("Content-Length")
        if length is not None and length.isdigit() and int(length) > MAX_CERT_BYTES:
            raise ValueError("certificate response too large")
        return _read_capped(response, deadline)


def _read_capped(response: HTTPResponse, deadline: float) -> bytes:
    """Read at most MAX_CERT_BYTES, one socket read at a time, giving up at deadline."""
    chunks: list[bytes] = []
    size = 0
    while True:
        _remaining(deadline)
        # read1 returns after at most one socket read, so the deadline is checked between reads.
        chunk = response.read1(_READ_CHUNK)
        if not chunk:
            return b"".join(chunks)
        size += len(chunk)
        if size > MAX_CERT_BYTES:
            raise ValueError("certificate response too large")
        chunks.append(chunk)


def _remaining(deadline: float) -> float:
    left = deadline - time.monotonic()
    if left <= 0:
        raise TimeoutError("certificate fetch timed out")
    return left
