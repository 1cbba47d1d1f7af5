"""Fetching a signing chain over HTTPS, and the development CA that stands in for Amazon's."""

from __future__ import annotations

import base64
import http.server
import socket
import ssl
import threading
import time
import urllib.error
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import certifi
import pytest
from cryptography.hazmat.primitives import serialization

from skill.devtools import devca
from skill.devtools.ca_folder import bundle_bytes, load_or_create_dev_ca
from skill.devtools.devca import DevCA, make_dev_ca
from skill.verification import (
    check_cert_url,
    default_cert_loader,
)
from tests.helpers.verification import (
    BODY,
    make_verifier,
    variant,
    verify,
)

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


def test_persisted_dev_ca_is_renewed_when_expiring(tmp_path: Path, ca: DevCA) -> None:
    now = datetime.now(UTC)
    expired = variant(ca, not_before=now - timedelta(days=30), not_after=now - timedelta(days=1))
    tmp_path.joinpath(devca.BUNDLE_NAME).write_bytes(bundle_bytes(expired))
    renewed = load_or_create_dev_ca(tmp_path)
    assert renewed.leaf.not_valid_after_utc > datetime.now(UTC) + timedelta(days=300)
    verify(make_verifier(renewed), renewed.sign(BODY))


def test_corrupt_persisted_dev_ca_is_an_error(tmp_path: Path) -> None:
    tmp_path.joinpath(devca.BUNDLE_NAME).write_bytes(b"not a bundle")
    with pytest.raises(ValueError, match="delete it"):
        load_or_create_dev_ca(tmp_path)
