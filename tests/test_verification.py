"""Unit tests for Alexa request verification and the development CA."""

from __future__ import annotations

import base64
import http.server
import socket
import ssl
import threading
import time
import urllib.error
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import certifi
import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding

from skill.devtools import devca
from skill.devtools.ca_folder import bundle_bytes, load_or_create_dev_ca
from skill.devtools.devca import DevCA, make_dev_ca
from skill.verification import (
    RequestVerifier,
    VerificationError,
    canonical_cert_url,
    check_application_id,
    check_cert_url,
    check_timestamp,
    default_cert_loader,
    load_trusted_roots,
)
from skill.verification.cert_cache import NEGATIVE_TTL_SECONDS

BODY = b'{"version":"1.0","request":{"type":"IntentRequest","userId":"amzn1.ask.account.SECRET"}}'
SKILL_ID = "amzn1.ask.skill.11111111-2222-3333-4444-555555555555"


class CountingLoader:
    """Serves one chain for any URL and counts fetches."""

    def __init__(self, *chains: bytes) -> None:
        self.chains = list(chains)
        self.urls: list[str] = []

    def __call__(self, url: str) -> bytes:
        self.urls.append(url)
        return self.chains[min(len(self.urls), len(self.chains)) - 1]


class FakeClock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture(scope="session")
def ca() -> DevCA:
    return make_dev_ca()


def variant(
    ca: DevCA,
    *,
    san: str = devca.DEV_SAN,
    not_before: datetime | None = None,
    not_after: datetime | None = None,
) -> DevCA:
    """Another leaf under ca's root and intermediate, reusing its key to skip key generation."""
    return make_dev_ca(
        san=san,
        not_before=not_before,
        not_after=not_after,
        root=ca.root,
        intermediate=ca.intermediate,
        leaf_key=ca.leaf_key,
    )


@pytest.fixture(scope="session")
def bad_leaves(ca: DevCA) -> dict[str, DevCA]:
    """Chains that must fail verification against ca's root."""
    now = datetime.now(UTC)
    return {
        "expired": variant(
            ca, not_before=now - timedelta(days=30), not_after=now - timedelta(days=1)
        ),
        "not yet valid": variant(
            ca, not_before=now + timedelta(days=1), not_after=now + timedelta(days=30)
        ),
        "wrong SAN": variant(ca, san="not-echo-api.example.com"),
        "untrusted root": make_dev_ca(leaf_key=ca.leaf_key),
    }


class FakeTicks:
    """A monotonic clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def make_verifier(
    ca: DevCA,
    loader: Callable[[str], bytes] | None = None,
    clock: Callable[[], datetime] | None = None,
    cache_size: int = 64,
    **limits: Any,
) -> RequestVerifier:
    return RequestVerifier(
        ca.root_pem,
        cert_loader=ca.loader if loader is None else loader,
        clock=(lambda: datetime.now(UTC)) if clock is None else clock,
        cache_size=cache_size,
        **limits,
    )


def verify(verifier: RequestVerifier, headers: dict[str, str], body: bytes = BODY) -> None:
    verifier.verify_signature(
        headers.get("SignatureCertChainUrl"), headers.get("Signature-256"), body
    )


# --- signature --------------------------------------------------------------------------------


def test_valid_signature_passes(ca: DevCA) -> None:
    verify(make_verifier(ca), ca.sign(BODY))


@pytest.mark.parametrize("cert_url", [None, ""])
def test_missing_cert_url_is_rejected(ca: DevCA, cert_url: str | None) -> None:
    loader = CountingLoader(ca.chain_pem)
    signature = ca.sign(BODY)["Signature-256"]
    with pytest.raises(VerificationError, match="SignatureCertChainUrl"):
        make_verifier(ca, loader).verify_signature(cert_url, signature, BODY)
    assert loader.urls == []


@pytest.mark.parametrize("signature", [None, ""], ids=["missing", "empty"])
def test_missing_or_empty_signature_is_rejected(ca: DevCA, signature: str | None) -> None:
    loader = CountingLoader(ca.chain_pem)
    with pytest.raises(VerificationError, match="missing Signature-256"):
        make_verifier(ca, loader).verify_signature(ca.cert_url, signature, BODY)
    assert loader.urls == []


def test_only_the_old_sha1_signature_header_is_rejected(ca: DevCA) -> None:
    headers = {"SignatureCertChainUrl": ca.cert_url, "Signature": ca.sign(BODY)["Signature-256"]}
    with pytest.raises(VerificationError, match="missing Signature-256"):
        verify(make_verifier(ca), headers)


@pytest.mark.parametrize("signature", ["not base64!", "abc", "YWJj\nZGVm", "===="])
def test_non_base64_signature_is_rejected(ca: DevCA, signature: str) -> None:
    with pytest.raises(VerificationError, match="Signature-256"):
        make_verifier(ca).verify_signature(ca.cert_url, signature, BODY)


def test_body_changed_by_one_byte_is_rejected(ca: DevCA) -> None:
    headers = ca.sign(BODY)
    tampered = BODY.replace(b"IntentRequest", b"IntentRequesT")
    assert len(tampered) == len(BODY)
    with pytest.raises(VerificationError, match="signature does not match"):
        verify(make_verifier(ca), headers, tampered)


def test_signature_by_another_key_is_rejected(ca: DevCA) -> None:
    other = make_dev_ca(root=ca.root, intermediate=ca.intermediate)
    with pytest.raises(VerificationError, match="signature does not match"):
        verify(make_verifier(ca), other.sign(BODY, cert_url=ca.cert_url))


def test_reasons_never_include_the_body(ca: DevCA) -> None:
    with pytest.raises(VerificationError) as caught:
        verify(make_verifier(ca), ca.sign(BODY), BODY + b" ")
    assert "SECRET" not in str(caught.value)
    assert "amzn1" not in str(caught.value)


# --- certificate URL --------------------------------------------------------------------------

BAD_URLS = [
    "http://s3.amazonaws.com/echo.api/echo-api-cert.pem",
    "https://notamazon.com/echo.api/echo-api-cert.pem",
    "https://s3.amazonaws.com.evil.example/echo.api/echo-api-cert.pem",
    "https://s3.amazonaws.com/EcHo.aPi/echo-api-cert.pem",
    "https://s3.amazonaws.com/invalid.path/echo-api-cert.pem",
    "https://s3.amazonaws.com:563/echo.api/echo-api-cert.pem",
    "https://s3.amazonaws.com/echo.api/../x",
    "https://s3.amazonaws.com/echo.api/",
    "https://s3.amazonaws.com:notaport/echo.api/echo-api-cert.pem",
    "https://user@s3.amazonaws.com/echo.api/echo-api-cert.pem",
    "file:///echo.api/echo-api-cert.pem",
    # Each of these once passed as a new cache key for the same file, or was fetched raw.
    "https://s3.amazonaws.com/echo.api/echo-api-cert.pem?n=1",
    "https://s3.amazonaws.com/echo.api/echo-api-cert.pem?",
    "https://s3.amazonaws.com/echo.api/echo-api-cert.pem#frag",
    "https://s3.amazonaws.com/echo.api/echo-api-cert.pem\t",
    "https://s3.amazonaws.com/echo.api/echo-api-cert.pem\r\nX-Injected: 1",
    " https://s3.amazonaws.com/echo.api/echo-api-cert.pem",
    "https://s3.amazonaws.com/echo.api/echo%2dapi-cert.pem",
    "https://s3.amazonaws.com/echo.api/%2e%2e/x.pem",
    "https://:@s3.amazonaws.com/echo.api/echo-api-cert.pem",
    "https://s3.amazonaws.com\\@evil.example/echo.api/x.pem",
    "https://s3.amazonaws.com/echo.api/\u00e9.pem",
    "https://s3.amazonaws.com/echo.api/" + "a" * 600 + ".pem",
]
# Each spelling, and the one form that is checked, fetched and cached for it.
GOOD_URLS = {
    "https://s3.amazonaws.com/echo.api/echo-api-cert.pem": (
        "https://s3.amazonaws.com/echo.api/echo-api-cert.pem"
    ),
    "HTTPS://S3.AMAZONAWS.COM/echo.api/x.pem": "https://s3.amazonaws.com/echo.api/x.pem",
    "https://s3.amazonaws.com:443/echo.api/x.pem": "https://s3.amazonaws.com/echo.api/x.pem",
    "https://s3.amazonaws.com/echo.api/../echo.api/x.pem": (
        "https://s3.amazonaws.com/echo.api/x.pem"
    ),
    "https://s3.amazonaws.com/echo.api//./x.pem": "https://s3.amazonaws.com/echo.api/x.pem",
}


@pytest.mark.parametrize("url", BAD_URLS)
def test_bad_cert_url_is_rejected_before_fetching(ca: DevCA, url: str) -> None:
    with pytest.raises(VerificationError, match="certificate URL"):
        check_cert_url(url)
    loader = CountingLoader(ca.chain_pem)
    with pytest.raises(VerificationError, match="certificate URL"):
        verify(make_verifier(ca, loader), ca.sign(BODY, cert_url=url))
    assert loader.urls == []


@pytest.mark.parametrize("url", GOOD_URLS)
def test_good_cert_url_variants_pass(ca: DevCA, url: str) -> None:
    check_cert_url(url)
    assert canonical_cert_url(url) == GOOD_URLS[url]
    loader = CountingLoader(ca.chain_pem)
    verify(make_verifier(ca, loader), ca.sign(BODY, cert_url=url))
    assert loader.urls == [GOOD_URLS[url]]


def test_every_spelling_of_one_url_shares_one_fetch(ca: DevCA) -> None:
    loader = CountingLoader(ca.chain_pem)
    verifier = make_verifier(ca, loader)
    for url in GOOD_URLS:
        verify(verifier, ca.sign(BODY, cert_url=url))
    assert sorted(set(loader.urls)) == sorted(set(GOOD_URLS.values()))
    assert len(loader.urls) == len(set(GOOD_URLS.values()))


# --- certificate chain ------------------------------------------------------------------------


@pytest.mark.parametrize("case", ["expired", "not yet valid", "wrong SAN", "untrusted root"])
def test_bad_leaf_is_rejected(ca: DevCA, bad_leaves: dict[str, DevCA], case: str) -> None:
    bad = bad_leaves[case]
    loader = CountingLoader(bad.chain_pem)
    with pytest.raises(VerificationError, match="certificate chain not trusted") as caught:
        verify(make_verifier(ca, loader), bad.sign(BODY))
    assert len(str(caught.value)) < 160
    assert "Certificate(" not in str(caught.value)


def test_leaf_without_its_intermediate_is_rejected(ca: DevCA) -> None:
    leaf_only = ca.chain_pem.split(b"-----END CERTIFICATE-----")[0] + b"-----END CERTIFICATE-----\n"
    with pytest.raises(VerificationError, match="certificate chain not trusted"):
        verify(make_verifier(ca, CountingLoader(leaf_only)), ca.sign(BODY))


def test_root_served_as_leaf_is_rejected(ca: DevCA) -> None:
    """The trusted root itself is a CA, not a request-signing certificate."""
    signature = base64.b64encode(
        ca.root.key.sign(BODY, padding.PKCS1v15(), hashes.SHA256())
    ).decode()
    with pytest.raises(VerificationError, match="certificate chain not trusted"):
        make_verifier(ca, CountingLoader(ca.root_pem)).verify_signature(
            ca.cert_url, signature, BODY
        )


@pytest.mark.parametrize(
    "error",
    [OSError("refused"), TimeoutError(), urllib.error.URLError("dns"), ValueError("too large")],
    ids=["oserror", "timeout", "urlerror", "valueerror"],
)
def test_fetch_failure_is_a_verification_error(ca: DevCA, error: Exception) -> None:
    def failing(url: str) -> bytes:
        raise error

    with pytest.raises(VerificationError, match=r"^could not fetch the signing certificate$"):
        verify(make_verifier(ca, failing), ca.sign(BODY))


@pytest.mark.parametrize("payload", [b"", b"<html>not a certificate</html>", "a str, not bytes"])
def test_unparsable_certificate_is_rejected(ca: DevCA, payload: Any) -> None:
    with pytest.raises(VerificationError, match="could not parse"):
        verify(make_verifier(ca, lambda url: payload), ca.sign(BODY))


# --- cache ------------------------------------------------------------------------------------


def test_cached_chain_is_not_fetched_again(ca: DevCA) -> None:
    loader = CountingLoader(ca.chain_pem)
    verifier = make_verifier(ca, loader)
    for _ in range(3):
        verify(verifier, ca.sign(BODY))
    assert loader.urls == [ca.cert_url]


def test_cached_good_url_does_not_let_a_bad_url_through(ca: DevCA) -> None:
    loader = CountingLoader(ca.chain_pem)
    verifier = make_verifier(ca, loader)
    verify(verifier, ca.sign(BODY))
    for url in [
        "http://s3.amazonaws.com/echo.api/dev-cramp-relief.pem",
        "https://s3.amazonaws.com/echo.api/../x",
    ]:
        with pytest.raises(VerificationError, match="certificate URL"):
            verify(verifier, ca.sign(BODY, cert_url=url))
    assert loader.urls == [ca.cert_url]


def test_cached_chain_still_checks_each_signature(ca: DevCA) -> None:
    verifier = make_verifier(ca)
    headers = ca.sign(BODY)
    verify(verifier, headers)
    with pytest.raises(VerificationError, match="signature does not match"):
        verify(verifier, headers, BODY + b"x")


def test_rejected_chain_is_not_cached(ca: DevCA, bad_leaves: dict[str, DevCA]) -> None:
    """A rejected chain is remembered as rejected for a minute, then fetched afresh."""
    bad = bad_leaves["untrusted root"]
    loader = CountingLoader(bad.chain_pem, ca.chain_pem)
    ticks = FakeTicks()
    verifier = make_verifier(ca, loader, monotonic=ticks)
    for _ in range(3):
        with pytest.raises(VerificationError, match="certificate chain not trusted"):
            verify(verifier, ca.sign(BODY))
    assert len(loader.urls) == 1
    ticks.now += NEGATIVE_TTL_SECONDS + 1
    verify(verifier, ca.sign(BODY))
    assert len(loader.urls) == 2


def test_expired_cache_entry_is_refetched(ca: DevCA) -> None:
    now = datetime.now(UTC)
    short_lived = variant(ca, not_after=now + timedelta(hours=1))
    loader = CountingLoader(short_lived.chain_pem, ca.chain_pem)
    clock = FakeClock(now)
    verifier = make_verifier(ca, loader, clock)
    verify(verifier, ca.sign(BODY))
    clock.now = now + timedelta(minutes=59)
    verify(verifier, ca.sign(BODY))
    assert len(loader.urls) == 1
    clock.now = now + timedelta(hours=2)
    verify(verifier, ca.sign(BODY))
    assert len(loader.urls) == 2


def test_expired_cache_entry_with_no_replacement_fails(ca: DevCA) -> None:
    now = datetime.now(UTC)
    clock = FakeClock(now)
    loader = CountingLoader(ca.chain_pem)
    verifier = make_verifier(ca, loader, clock)
    verify(verifier, ca.sign(BODY))
    clock.now = ca.leaf.not_valid_after_utc + timedelta(seconds=1)
    with pytest.raises(VerificationError, match="certificate chain not trusted"):
        verify(verifier, ca.sign(BODY))
    assert len(loader.urls) == 2


def test_cache_is_bounded_lru(ca: DevCA) -> None:
    loader = CountingLoader(ca.chain_pem)
    verifier = make_verifier(ca, loader, cache_size=2)
    urls = [f"https://s3.amazonaws.com/echo.api/{name}.pem" for name in "abc"]
    for url in [urls[0], urls[1], urls[0], urls[2], urls[0], urls[1]]:
        verify(verifier, ca.sign(BODY, cert_url=url))
    # a, b fetched; a hit (now most recent); c evicts b; a hit; b refetched.
    assert loader.urls == [urls[0], urls[1], urls[2], urls[1]]


def test_cache_size_zero_disables_caching(ca: DevCA) -> None:
    loader = CountingLoader(ca.chain_pem)
    verifier = make_verifier(ca, loader, cache_size=0)
    verify(verifier, ca.sign(BODY))
    verify(verifier, ca.sign(BODY))
    assert len(loader.urls) == 2


def test_concurrent_verification(ca: DevCA) -> None:
    loader = CountingLoader(ca.chain_pem)
    verifier = make_verifier(ca, loader, cache_size=4)
    headers = [
        ca.sign(BODY, cert_url=f"https://s3.amazonaws.com/echo.api/{i}.pem") for i in range(8)
    ]
    errors: list[BaseException] = []

    def work(h: dict[str, str]) -> None:
        try:
            for _ in range(5):
                verify(verifier, h)
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(h,)) for h in headers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []


# --- timestamp --------------------------------------------------------------------------------

NOW = datetime(2026, 11, 21, 5, 40, 0, tzinfo=UTC)


def _iso(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


@pytest.mark.parametrize("offset", [0, 149, -149, 150, -150])
def test_timestamp_within_window_passes(offset: int) -> None:
    check_timestamp(_iso(NOW + timedelta(seconds=offset)), "IntentRequest", NOW)


@pytest.mark.parametrize("offset", [151, -151, 3000, -86400])
def test_timestamp_outside_window_is_rejected(offset: int) -> None:
    with pytest.raises(VerificationError, match="timestamp"):
        check_timestamp(_iso(NOW + timedelta(seconds=offset)), "IntentRequest", NOW)


@pytest.mark.parametrize(
    "timestamp",
    ["2026-11-21T05:40:00+00:00", "2026-11-21T05:40:00.123Z", "2026-11-21T06:40:00.5+01:00"],
)
def test_timestamp_formats_accepted(timestamp: str) -> None:
    check_timestamp(timestamp, "LaunchRequest", NOW)


@pytest.mark.parametrize(
    "timestamp",
    [
        None,
        1763703600,
        "",
        "yesterday",
        "2026-11-21T05:40:00",
        "2026-13-01T00:00:00Z",
        "0001-01-01T00:00:00+14:00",
    ],
)
def test_unparsable_timestamp_is_rejected(timestamp: object) -> None:
    with pytest.raises(VerificationError, match="timestamp"):
        check_timestamp(timestamp, "IntentRequest", NOW)


@pytest.mark.parametrize("offset", [3000, -3000, 3600])
def test_skill_event_window_is_an_hour(offset: int) -> None:
    check_timestamp(_iso(NOW + timedelta(seconds=offset)), "AlexaSkillEvent.SkillEnabled", NOW)


@pytest.mark.parametrize("offset", [3700, -3700])
def test_skill_event_beyond_an_hour_is_rejected(offset: int) -> None:
    with pytest.raises(VerificationError, match="timestamp"):
        check_timestamp(_iso(NOW + timedelta(seconds=offset)), "AlexaSkillEvent.SkillEnabled", NOW)


@pytest.mark.parametrize("request_type", [None, 42, "AlexaSkillEvent", "SessionEndedRequest"])
def test_non_skill_events_get_the_short_window(request_type: object) -> None:
    with pytest.raises(VerificationError, match="timestamp"):
        check_timestamp(_iso(NOW + timedelta(seconds=3000)), request_type, NOW)


# --- application id ---------------------------------------------------------------------------


def _envelope(context_id: object = None, session_id: object = None) -> dict[str, object]:
    envelope: dict[str, object] = {"version": "1.0", "request": {"type": "IntentRequest"}}
    if context_id is not None:
        envelope["context"] = {"System": {"application": {"applicationId": context_id}}}
    if session_id is not None:
        envelope["session"] = {"application": {"applicationId": session_id}}
    return envelope


@pytest.mark.parametrize(
    "envelope",
    [_envelope(SKILL_ID), _envelope(session_id=SKILL_ID), _envelope(SKILL_ID, "other")],
    ids=["context", "session fallback", "context wins"],
)
def test_matching_application_id_passes(envelope: dict[str, object]) -> None:
    check_application_id(envelope, SKILL_ID)


@pytest.mark.parametrize(
    "envelope",
    [
        _envelope("amzn1.ask.skill.other"),
        _envelope(session_id="amzn1.ask.skill.other"),
        _envelope("amzn1.ask.skill.other", SKILL_ID),
        _envelope(),
        _envelope(42),
        {"context": "not a mapping", "session": ["nor", "this"]},
    ],
    ids=["context", "session", "context wrong session right", "missing", "not str", "junk"],
)
def test_wrong_application_id_is_rejected(envelope: dict[str, object]) -> None:
    with pytest.raises(VerificationError, match=r"^application id does not match$"):
        check_application_id(envelope, SKILL_ID)


def test_empty_skill_id_never_matches() -> None:
    with pytest.raises(VerificationError):
        check_application_id(_envelope(""), "")


# --- trusted roots ----------------------------------------------------------------------------


def test_load_trusted_roots_defaults_to_certifi(tmp_path: Path, ca: DevCA) -> None:
    assert load_trusted_roots(None) == Path(certifi.where()).read_bytes()
    path = tmp_path / "roots.pem"
    path.write_bytes(ca.root_pem)
    assert load_trusted_roots(str(path)) == ca.root_pem


def test_certifi_roots_build_a_verifier_that_rejects_the_dev_ca(ca: DevCA) -> None:
    verifier = RequestVerifier(load_trusted_roots(None), cert_loader=ca.loader)
    with pytest.raises(VerificationError, match="certificate chain not trusted"):
        verify(verifier, ca.sign(BODY))


@pytest.mark.parametrize("roots", [b"", b"garbage"])
def test_verifier_needs_at_least_one_root(roots: bytes) -> None:
    with pytest.raises(ValueError, match="root"):
        RequestVerifier(roots)


# --- default loader ---------------------------------------------------------------------------


@pytest.fixture
def silent_server() -> Iterator[int]:
    """A TCP server on 127.0.0.1 that accepts connections and never says anything."""
    with socket.create_server(("127.0.0.1", 0)) as server:
        held: list[socket.socket] = []
        stop = threading.Event()

        def accept() -> None:
            server.settimeout(0.1)
            while not stop.is_set():
                try:
                    held.append(server.accept()[0])
                except TimeoutError:
                    continue

        thread = threading.Thread(target=accept, daemon=True)
        thread.start()
        yield server.getsockname()[1]
        stop.set()
        thread.join()
        for conn in held:
            conn.close()


def test_default_loader_gives_up_on_a_silent_server(silent_server: int) -> None:
    started = time.monotonic()
    with pytest.raises((TimeoutError, OSError)):
        default_cert_loader(f"https://127.0.0.1:{silent_server}/echo.api/cert.pem")
    assert time.monotonic() - started < 3.5


def test_default_loader_gives_up_on_a_server_that_drips(local_https: tuple[str, bytes]) -> None:
    started = time.monotonic()
    with pytest.raises(TimeoutError):
        default_cert_loader(local_https[0] + "/slow-headers")
    assert time.monotonic() - started < 3.5


def test_default_loader_refuses_plain_http() -> None:
    with pytest.raises(ValueError, match="https"):
        default_cert_loader("http://s3.amazonaws.com/echo.api/cert.pem")


class _CertHandler(http.server.BaseHTTPRequestHandler):
    chain = b""

    def do_GET(self) -> None:
        if self.path == "/chain":
            self._reply(200, self.chain)
        elif self.path == "/big":
            self._reply(200, b"A" * (65 * 1024))
        elif self.path == "/big-unsized":
            self.send_response(200)
            self.end_headers()
            self.wfile.write(b"A" * (65 * 1024))
        elif self.path == "/slow-headers":
            self._drip_headers()
        elif self.path == "/redirect":
            self.send_response(302)
            self.send_header("Location", "/chain")
            self.send_header("Content-Length", "0")
            self.end_headers()
        else:
            self._reply(404, b"missing")

    def _drip_headers(self) -> None:
        """A header byte every 0.2 s: each read succeeds, so only a total deadline stops it."""
        self.wfile.write(b"HTTP/1.1 200 OK\r\nX-Slow: ")
        for _ in range(30):
            time.sleep(0.2)
            try:
                self.wfile.write(b"z")
                self.wfile.flush()
            except OSError:
                return

    def _reply(self, status: int, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def https_server(
    tmp_path_factory: pytest.TempPathFactory, ca: DevCA
) -> Iterator[tuple[str, str, bytes]]:
    """A local HTTPS server with a dev-CA cert for localhost; yields (base, cafile, chain)."""
    directory = tmp_path_factory.mktemp("https")
    server_ca = variant(ca, san="localhost")
    (directory / "chain.pem").write_bytes(server_ca.chain_pem)
    key_pem = server_ca.leaf_key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    (directory / "key.pem").write_bytes(key_pem)
    (directory / "root.pem").write_bytes(ca.root_pem)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(directory / "chain.pem", directory / "key.pem")
    handler = type("Handler", (_CertHandler,), {"chain": ca.chain_pem})
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    httpd.socket = context.wrap_socket(httpd.socket, server_side=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"https://localhost:{httpd.server_address[1]}", str(directory / "root.pem"), ca.chain_pem
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def local_https(
    https_server: tuple[str, str, bytes], monkeypatch: pytest.MonkeyPatch
) -> tuple[str, bytes]:
    base, cafile, chain = https_server
    monkeypatch.setattr(certifi, "where", lambda: cafile)
    monkeypatch.setenv("NO_PROXY", "*")
    monkeypatch.setenv("no_proxy", "*")
    return base, chain


def test_default_loader_fetches_over_https(local_https: tuple[str, bytes]) -> None:
    base, chain = local_https
    assert default_cert_loader(f"{base}/chain") == chain


@pytest.mark.parametrize("path", ["/big", "/big-unsized"])
def test_default_loader_refuses_more_than_64_kib(local_https: tuple[str, bytes], path: str) -> None:
    with pytest.raises(ValueError, match="too large"):
        default_cert_loader(local_https[0] + path)


@pytest.mark.parametrize("path", ["/redirect", "/missing"])
def test_default_loader_refuses_redirects_and_errors(
    local_https: tuple[str, bytes], path: str
) -> None:
    with pytest.raises(urllib.error.HTTPError):
        default_cert_loader(local_https[0] + path)


def test_default_loader_checks_the_server_certificate(https_server: tuple[str, str, bytes]) -> None:
    """Without the dev root in the CA bundle, the local server is not trusted."""
    with pytest.raises(urllib.error.URLError):
        default_cert_loader(f"{https_server[0]}/chain")


# --- development CA ---------------------------------------------------------------------------


def test_dev_ca_sign_gives_alexa_headers(ca: DevCA) -> None:
    headers = ca.sign(BODY)
    assert headers["SignatureCertChainUrl"] == ca.cert_url
    assert base64.b64decode(headers["Signature-256"], validate=True)
    check_cert_url(ca.cert_url)


def test_dev_ca_loader_serves_only_its_url(ca: DevCA) -> None:
    assert ca.loader(ca.cert_url) == ca.chain_pem
    with pytest.raises(OSError):
        ca.loader("https://s3.amazonaws.com/echo.api/other.pem")


def test_dev_ca_needs_the_root_of_a_reused_intermediate(ca: DevCA) -> None:
    with pytest.raises(ValueError, match="root"):
        make_dev_ca(intermediate=ca.intermediate, leaf_key=ca.leaf_key)


def test_persisted_dev_ca_is_shared_between_loads(tmp_path: Path) -> None:
    first = load_or_create_dev_ca(tmp_path / "ca")
    second = load_or_create_dev_ca(tmp_path / "ca")
    assert second.root_pem == first.root_pem
    assert second.chain_pem == first.chain_pem
    # A "server" built from one load verifies what a "simulator" from the other signs.
    verify(make_verifier(first), second.sign(BODY))
    assert (tmp_path / "ca" / devca.BUNDLE_NAME).stat().st_mode & 0o077 == 0


def test_persisted_dev_ca_is_renewed_when_expiring(
    tmp_path: Path, ca: DevCA, bad_leaves: dict[str, DevCA]
) -> None:
    expired = bad_leaves["expired"]
    tmp_path.joinpath(devca.BUNDLE_NAME).write_bytes(bundle_bytes(expired))
    renewed = load_or_create_dev_ca(tmp_path)
    assert renewed.leaf.not_valid_after_utc > datetime.now(UTC) + timedelta(days=300)
    verify(make_verifier(renewed), renewed.sign(BODY))


def test_corrupt_persisted_dev_ca_is_an_error(tmp_path: Path) -> None:
    tmp_path.joinpath(devca.BUNDLE_NAME).write_bytes(b"not a bundle")
    with pytest.raises(ValueError, match="delete it"):
        load_or_create_dev_ca(tmp_path)
