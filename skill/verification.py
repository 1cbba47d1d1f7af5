"""Checks that a request really came from Alexa: signature, certificate, timestamp, skill id."""

from __future__ import annotations

import base64
import binascii
import posixpath
import queue
import re
import ssl
import threading
import time
import urllib.request
import warnings
from collections import OrderedDict
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from http.client import HTTPResponse
from typing import Any
from urllib.parse import urlsplit

import certifi
from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPublicKey
from cryptography.utils import CryptographyDeprecationWarning
from cryptography.x509 import verification as x509v

SIGNING_SAN = "echo-api.amazon.com"
CERT_URL_HOST = "s3.amazonaws.com"
CERT_URL_PATH_PREFIX = "/echo.api/"
MAX_SKEW_SECONDS = 150
SKILL_EVENT_SKEW_SECONDS = 3600
SKILL_EVENT_PREFIX = "AlexaSkillEvent."
FETCH_TIMEOUT_SECONDS = 3.0
MAX_CERT_BYTES = 64 * 1024

_READ_CHUNK = 8192
_PEM_CERT = re.compile(rb"-----BEGIN CERTIFICATE-----.+?-----END CERTIFICATE-----", re.DOTALL)

CertLoader = Callable[[str], bytes]


class VerificationError(Exception):
    """A request failed verification; str(err) is a short reason safe to return and log."""


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


def _utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class _CachedKey:
    """The signing key of a chain that verified, and the window in which the chain is valid."""

    key: RSAPublicKey
    not_before: datetime
    not_after: datetime

    def valid_at(self, now: datetime) -> bool:
        return self.not_before <= now <= self.not_after


class RequestVerifier:
    """Verifies Alexa request signatures, caching validated certificate chains per URL.

    clock must return timezone-aware datetimes.
    """

    def __init__(
        self,
        trusted_roots_pem: bytes,
        cert_loader: CertLoader = default_cert_loader,
        clock: Callable[[], datetime] = _utc_now,
        cache_size: int = 64,
    ) -> None:
        if cache_size < 0:
            raise ValueError("cache_size must not be negative")
        self._store = x509v.Store(_parse_roots(trusted_roots_pem))
        self._loader = cert_loader
        self._clock = clock
        self._cache_size = cache_size
        self._cache: OrderedDict[str, _CachedKey] = OrderedDict()
        self._lock = threading.Lock()

    def verify_signature(
        self, cert_url: str | None, signature_b64: str | None, body: bytes
    ) -> None:
        """Raise VerificationError unless body is signed by a valid Alexa cert at cert_url."""
        if not cert_url:
            raise VerificationError("missing SignatureCertChainUrl header")
        if not signature_b64:
            raise VerificationError("missing Signature-256 header")
        try:
            signature = base64.b64decode(signature_b64, validate=True)
        except (binascii.Error, ValueError):
            raise VerificationError("Signature-256 is not valid base64") from None
        if not signature:
            raise VerificationError("missing Signature-256 header")
        key = self._signing_key(cert_url, self._clock())
        try:
            key.verify(signature, body, padding.PKCS1v15(), hashes.SHA256())
        except InvalidSignature:
            raise VerificationError("signature does not match the request body") from None

    def _signing_key(self, cert_url: str, now: datetime) -> RSAPublicKey:
        with self._lock:
            cached = self._cache.get(cert_url)
            if cached is not None:
                if cached.valid_at(now):
                    self._cache.move_to_end(cert_url)
                    return cached.key
                del self._cache[cert_url]
        # Only a URL that passed check_cert_url is ever cached, so a cached one needs no check.
        check_cert_url(cert_url)
        # Fetch and verify outside the lock so one slow download does not stall other requests.
        entry = self._fetch_and_verify(cert_url, now)
        with self._lock:
            self._cache[cert_url] = entry
            self._cache.move_to_end(cert_url)
            while len(self._cache) > self._cache_size:
                self._cache.popitem(last=False)
        return entry.key

    def _fetch_and_verify(self, cert_url: str, now: datetime) -> _CachedKey:
        try:
            pem = self._loader(cert_url)
        except Exception:
            # Any loader failure (timeout, DNS, HTTP status, size cap) means the same to the client.
            raise VerificationError("could not fetch the signing certificate") from None
        try:
            certs = x509.load_pem_x509_certificates(pem)
        except (ValueError, TypeError):
            raise VerificationError("could not parse the signing certificate") from None
        leaf, intermediates = certs[0], certs[1:]
        verifier = (
            x509v.PolicyBuilder()
            .store(self._store)
            .time(now)
            .build_server_verifier(x509.DNSName(SIGNING_SAN))
        )
        try:
            chain = verifier.verify(leaf, intermediates)
        except x509v.VerificationError as exc:
            raise VerificationError(f"certificate chain not trusted: {_short(exc)}") from None
        key = leaf.public_key()
        if not isinstance(key, RSAPublicKey):
            raise VerificationError("signing certificate key is not RSA")
        # The whole chain must stay valid, not just the leaf, so cache until the first expiry.
        return _CachedKey(
            key=key,
            not_before=max(cert.not_valid_before_utc for cert in chain),
            not_after=min(cert.not_valid_after_utc for cert in chain),
        )


def check_cert_url(url: str) -> None:
    """Raise VerificationError unless url is where Amazon publishes Alexa signing certificates."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise VerificationError("certificate URL is malformed") from None
    if parts.scheme.lower() != "https":
        raise VerificationError("certificate URL must use https")
    if parts.hostname != CERT_URL_HOST or parts.username is not None:
        raise VerificationError("certificate URL host is not s3.amazonaws.com")
    if port not in (None, 443):
        raise VerificationError("certificate URL port must be 443")
    if not posixpath.normpath(parts.path).startswith(CERT_URL_PATH_PREFIX):
        raise VerificationError("certificate URL path must start with /echo.api/")


def check_timestamp(timestamp: object, request_type: object, now: datetime) -> None:
    """Raise VerificationError unless the request timestamp is close enough to now."""
    if not isinstance(timestamp, str):
        raise VerificationError("request timestamp missing")
    try:
        sent = datetime.fromisoformat(timestamp)
    except ValueError:
        raise VerificationError("request timestamp is not ISO-8601") from None
    if sent.tzinfo is None:
        raise VerificationError("request timestamp has no time zone")
    is_skill_event = isinstance(request_type, str) and request_type.startswith(SKILL_EVENT_PREFIX)
    allowed = SKILL_EVENT_SKEW_SECONDS if is_skill_event else MAX_SKEW_SECONDS
    if abs((now - sent).total_seconds()) > allowed:
        raise VerificationError("request timestamp too far from now")


def check_application_id(envelope: Mapping[str, Any], skill_id: str) -> None:
    """Raise VerificationError unless the request is addressed to skill_id."""
    app_id = _dig(envelope, "context", "System", "application", "applicationId")
    if app_id is None:
        app_id = _dig(envelope, "session", "application", "applicationId")
    if not skill_id or app_id != skill_id:
        raise VerificationError("application id does not match")


def load_trusted_roots(path: str | None) -> bytes:
    """PEM roots from path, or certifi's bundle when path is None."""
    with open(certifi.where() if path is None else path, "rb") as handle:
        return handle.read()


def _parse_roots(pem: bytes) -> list[x509.Certificate]:
    """Parse each root on its own, so one odd certificate in a bundle does not void the rest."""
    roots: list[x509.Certificate] = []
    with warnings.catch_warnings():
        # certifi still ships a root with a non-positive serial; it is not ours to reject.
        warnings.simplefilter("ignore", CryptographyDeprecationWarning)
        for block in _PEM_CERT.findall(pem):
            try:
                roots.append(x509.load_pem_x509_certificate(block))
            except ValueError:
                continue
    if not roots:
        raise ValueError("no trusted root certificates found")
    return roots


def _short(exc: Exception) -> str:
    """The verifier's reason without its prefix and certificate dump."""
    reason = str(exc).removeprefix("validation failed: ")
    return reason.split(" (encountered processing", 1)[0][:120]


def _dig(data: object, *keys: str) -> object:
    for key in keys:
        if not isinstance(data, Mapping):
            return None
        data = data.get(key)
    return data
