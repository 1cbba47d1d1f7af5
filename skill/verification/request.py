"""Checks that a request really came from Alexa: signature, certificate, timestamp, skill id."""

from __future__ import annotations

import base64
import binascii
import posixpath
import re
import time
import warnings
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any, Final
from urllib.parse import urlsplit

import certifi
from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPublicKey
from cryptography.utils import CryptographyDeprecationWarning
from cryptography.x509 import verification as x509v

from skill.verification.cert_cache import (
    MAX_FETCHES_PER_MINUTE,
    NEGATIVE_TTL_SECONDS,
    CachedKey,
    ChainCache,
    ChainRejected,
    Observer,
)
from skill.verification.cert_fetch import CertLoader, default_cert_loader
from skill.verification.errors import VerificationError

SIGNING_SAN = "echo-api.amazon.com"
CERT_URL_HOST = "s3.amazonaws.com"
CERT_URL_PATH_PREFIX = "/echo.api/"
MAX_SKEW_SECONDS = 150
SKILL_EVENT_SKEW_SECONDS = 3600
SKILL_EVENT_PREFIX = "AlexaSkillEvent."
MAX_CERT_URL_CHARS: Final = 512

_PEM_CERT = re.compile(rb"-----BEGIN CERTIFICATE-----.+?-----END CERTIFICATE-----", re.DOTALL)
# Everything a certificate URL may hold: Amazon's are plain paths like
# /echo.api/echo-api-cert-12.pem. No percent-escapes (which S3 would decode after our path check),
# no query or fragment, no user info, no whitespace or control characters, no backslash.
_CERT_URL_CHARS = re.compile(r"[A-Za-z0-9:/._~-]+")


def _utc_now() -> datetime:
    return datetime.now(UTC)


class RequestVerifier:
    """Verifies Alexa request signatures, caching validated certificate chains per URL.

    clock must return timezone-aware datetimes. The cache's limits are those of
    skill.verification.cert_cache; `observe` hears each certificate lookup's outcome (for
    metrics).
    """

    def __init__(
        self,
        trusted_roots_pem: bytes,
        cert_loader: CertLoader = default_cert_loader,
        clock: Callable[[], datetime] = _utc_now,
        cache_size: int = 64,
        *,
        negative_ttl: float = NEGATIVE_TTL_SECONDS,
        max_fetches_per_minute: int = MAX_FETCHES_PER_MINUTE,
        monotonic: Callable[[], float] = time.monotonic,
        observe: Observer | None = None,
    ) -> None:
        self._store = x509v.Store(_parse_roots(trusted_roots_pem))
        self._loader = cert_loader
        self._clock = clock
        self._chains = ChainCache(
            self._fetch_and_verify,
            size=cache_size,
            negative_ttl=negative_ttl,
            max_fetches=max_fetches_per_minute,
            monotonic=monotonic,
            observe=observe,
        )

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
        # One spelling of the URL is checked, fetched and used as the cache key.
        url = canonical_cert_url(cert_url)
        key = self._chains.key_for(url, self._clock())
        try:
            key.verify(signature, body, padding.PKCS1v15(), hashes.SHA256())
        except InvalidSignature:
            raise VerificationError("signature does not match the request body") from None
        self._chains.prove(url)

    def would_fetch(self, cert_url: str | None) -> bool:
        """Whether verifying a request naming `cert_url` would fetch a certificate first (False
        for a URL refused unfetched: missing or not Amazon's)."""
        if not cert_url:
            return False
        try:
            url = canonical_cert_url(cert_url)
        except VerificationError:
            return False
        return self._chains.would_fetch(url, self._clock())

    def _fetch_and_verify(self, cert_url: str, now: datetime) -> CachedKey:
        try:
            pem = self._loader(cert_url)
        except Exception:
            # Any loader failure (timeout, DNS, HTTP status, size cap) means the same to the client.
            raise ChainRejected("could not fetch the signing certificate", "unreachable") from None
        try:
            certs = x509.load_pem_x509_certificates(pem)
        except (ValueError, TypeError):
            raise ChainRejected("could not parse the signing certificate", "unparsable") from None
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
            reason = f"certificate chain not trusted: {_short(exc)}"
            raise ChainRejected(reason, "untrusted") from None
        key = leaf.public_key()
        if not isinstance(key, RSAPublicKey):
            raise ChainRejected("signing certificate key is not RSA", "not_rsa")
        # The whole chain must stay valid, not just the leaf, so cache until the first expiry.
        return CachedKey(
            key=key,
            not_before=max(cert.not_valid_before_utc for cert in chain),
            not_after=min(cert.not_valid_after_utc for cert in chain),
        )


def canonical_cert_url(url: str) -> str:
    """The one spelling of `url` that is fetched and cached; VerificationError unless it is where
    Amazon publishes Alexa signing certificates."""
    if len(url) > MAX_CERT_URL_CHARS or not _CERT_URL_CHARS.fullmatch(url):
        raise VerificationError(
            "certificate URL has characters it must not (query, fragment, user info, "
            "escapes, spaces or control characters)"
        )
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise VerificationError("certificate URL is malformed") from None
    if parts.scheme.lower() != "https":
        raise VerificationError("certificate URL must use https")
    if parts.hostname != CERT_URL_HOST:
        raise VerificationError("certificate URL host is not s3.amazonaws.com")
    if port not in (None, 443):
        raise VerificationError("certificate URL port must be 443")
    path = posixpath.normpath(parts.path)
    if not path.startswith(CERT_URL_PATH_PREFIX):
        raise VerificationError("certificate URL path must start with /echo.api/")
    return f"https://{CERT_URL_HOST}{path}"


def check_cert_url(url: str) -> None:
    """Raise VerificationError unless url is where Amazon publishes Alexa signing certificates."""
    canonical_cert_url(url)


def timestamp_window(request_type: object) -> int:
    """How many seconds either way of now a request of this type may be stamped."""
    is_skill_event = isinstance(request_type, str) and request_type.startswith(SKILL_EVENT_PREFIX)
    return SKILL_EVENT_SKEW_SECONDS if is_skill_event else MAX_SKEW_SECONDS


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
    if abs((now - sent).total_seconds()) > timestamp_window(request_type):
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
