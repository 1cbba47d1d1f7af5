"""Debian's nginx running deploy/nginx/cramp-relief.conf in front of the skill, on 127.0.0.1 with
a test certificate made here: TLS works, and slow clients, short bodies and stalled bodies get a
4xx or a closed connection, never a 5xx, while ordinary requests keep being answered in under 1 s.

Skipped where nginx is missing, except under CI=true or REQUIRE_PROXY_TEST=1 (as `.ci/run` sets),
where that is a failure.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import os
import shutil
import signal
import socket
import ssl
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from bench.common import Signed
from bench.served import Server
from bench.slowclients import Timed, timed_post
from skill.devtools.devca import DevCA
from skill.devtools.devdb import free_port
from tests.helpers.served import check_slow_clients_delay_nobody, short_body, signed_launch

REPO = Path(__file__).resolve().parent.parent
SITE = REPO / "deploy" / "nginx" / "cramp-relief.conf"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
REQUIRE = os.environ.get("CI") == "true" or os.environ.get("REQUIRE_PROXY_TEST") == "1"


def _require_nginx() -> None:
    if Path(NGINX).exists():
        return
    reason = f"{NGINX} is missing (Debian: apt-get install nginx)"
    if REQUIRE:
        pytest.fail(f"CI=true or REQUIRE_PROXY_TEST=1, but {reason}")
    pytest.skip(f"proxy test: {reason}")


def _certificates(folder: Path) -> tuple[Path, Path, Path]:
    """A throwaway CA and a certificate for 127.0.0.1 and localhost signed by it."""
    now = dt.datetime.now(dt.UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "cramp-relief proxy test CA")])
    ca = (
        x509.CertificateBuilder()
        .subject_name(ca_name)
        .issuer_name(ca_name)
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(False, False, False, False, False, True, True, False, False), True
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), False)
        .sign(ca_key, hashes.SHA256())
    )
    key = ec.generate_private_key(ec.SECP256R1())
    leaf = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")]))
        .issuer_name(ca_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
            ),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), False
        )
        .add_extension(x509.ExtendedKeyUsage([x509.oid.ExtendedKeyUsageOID.SERVER_AUTH]), False)
        .sign(ca_key, hashes.SHA256())
    )
    ca_path, cert_path, key_path = folder / "ca.pem", folder / "cert.pem", folder / "key.pem"
    ca_path.write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    cert_path.write_bytes(leaf.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return ca_path, cert_path, key_path


def _replace_once(text: str, old: str, new: str) -> str:
    assert text.count(old) == 1, f"deploy/nginx/cramp-relief.conf no longer has {old!r} once"
    return text.replace(old, new)


def site_config(port: int, upstream: int, cert: Path, key: Path) -> str:
    """The shipped site, listening on 127.0.0.1:`port` with the test certificate."""
    text = SITE.read_text("utf-8")
    text = _replace_once(text, "listen 443 ssl;", f"listen 127.0.0.1:{port} ssl;")
    text = _replace_once(text, "listen [::]:443 ssl;", "")
    text = _replace_once(text, "/etc/letsencrypt/live/skill.example.com/fullchain.pem", str(cert))
    text = _replace_once(text, "/etc/letsencrypt/live/skill.example.com/privkey.pem", str(key))
    return _replace_once(text, "server 127.0.0.1:8080;", f"server 127.0.0.1:{upstream};")


def main_config(folder: Path, site: Path) -> str:
    """A minimal nginx.conf of our own (no /etc/nginx, no /var), including the site."""
    temp = {name: folder / name for name in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")}
    for path in temp.values():
        path.mkdir()
    user = "user root root;\n" if os.geteuid() == 0 else ""
    return (
        f"{user}daemon off;\nworker_processes 1;\npid {folder / 'nginx.pid'};\n"
        f"error_log {folder / 'error.log'} info;\n"
        "events { worker_connections 512; }\n"
        "http {\n"
        f"  access_log {folder / 'access.log'};\n"
        f"  client_body_temp_path {temp['client_body']};\n"
        f"  proxy_temp_path {temp['proxy']};\n"
        f"  fastcgi_temp_path {temp['fastcgi']};\n"
        f"  uwsgi_temp_path {temp['uwsgi']};\n"
        f"  scgi_temp_path {temp['scgi']};\n"
        f"  include {site};\n"
        "}\n"
    )


class Proxy:
    def __init__(self, port: int, context: ssl.SSLContext, folder: Path) -> None:
        self.port, self.context, self.folder = port, context, folder


@pytest.fixture(scope="module")
def proxy(server_workdir: Path, server_ca: DevCA) -> Iterator[Proxy]:
    _require_nginx()
    skill = Server(server_workdir, workers=2, extra=["--timeout", "2"])
    folder = server_workdir / "nginx"
    folder.mkdir()
    nginx: subprocess.Popen[bytes] | None = None
    try:
        skill.first_200("/alexa", signed_launch(server_ca))
        ca_path, cert, key = _certificates(folder)
        port = free_port()
        site = folder / "site.conf"
        site.write_text(site_config(port, skill.port, cert, key), "utf-8")
        conf = folder / "nginx.conf"
        conf.write_text(main_config(folder, site), "utf-8")
        check = subprocess.run(
            [NGINX, "-t", "-p", str(folder), "-c", str(conf), "-e", str(folder / "error.log")],
            capture_output=True,
            text=True,
            check=False,
        )
        assert check.returncode == 0, check.stderr
        nginx = subprocess.Popen(
            [NGINX, "-p", str(folder), "-c", str(conf), "-e", str(folder / "error.log")],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        context = ssl.create_default_context(cafile=str(ca_path))
        _wait_for_tls(port, context, nginx)
        yield Proxy(port, context, folder)
    finally:
        if nginx is not None:
            nginx.send_signal(signal.SIGQUIT)  # nginx: graceful stop
            try:
                nginx.wait(timeout=10)
            except subprocess.TimeoutExpired:
                nginx.kill()
                nginx.wait(timeout=5)
        skill.stop()


def _wait_for_tls(port: int, context: ssl.SSLContext, nginx: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 15
    while True:
        if nginx.poll() is not None:
            pytest.fail("nginx exited at start")
        try:
            with (
                socket.create_connection(("127.0.0.1", port), timeout=1) as raw,
                context.wrap_socket(raw, server_hostname="localhost"),
            ):
                return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def _tls(proxy: Proxy, data: bytes, *, close_after: bool, wait: float) -> bytes:
    with (
        socket.create_connection(("127.0.0.1", proxy.port), timeout=wait) as raw,
        proxy.context.wrap_socket(raw, server_hostname="localhost") as sock,
    ):
        sock.sendall(data)
        if close_after:
            # TLS has no half-close: our close_notify is the end of the body, and nginx
            # closes the connection on it (with nothing more to read, or with an EOF).
            try:
                sock.unwrap()
            except (ssl.SSLError, OSError):
                return b""
            return b""
        received = b""
        try:
            while chunk := sock.recv(4096):
                received += chunk
        except TimeoutError:
            pytest.fail(f"the proxy kept a stalled connection open for over {wait} s")
        except (ssl.SSLError, OSError):
            pass
        return received


def test_a_signed_request_is_answered_through_tls(proxy: Proxy, server_ca: DevCA) -> None:
    signed = signed_launch(server_ca)
    timed = timed_post(proxy.port, signed.body, signed.headers, context=proxy.context)
    assert timed.status == 200


def test_fifty_slow_clients_through_the_proxy(proxy: Proxy, server_ca: DevCA) -> None:
    def wrap(sock: socket.socket) -> socket.socket:
        return proxy.context.wrap_socket(sock, server_hostname="localhost")

    def send() -> Timed:
        signed = signed_launch(server_ca)
        return timed_post(proxy.port, signed.body, signed.headers, timeout=5, context=proxy.context)

    check_slow_clients_delay_nobody(proxy.port, send, wrap)


def test_a_short_body_then_silence_is_a_4xx_or_closed(proxy: Proxy, server_ca: DevCA) -> None:
    short = short_body(signed_launch(server_ca), host="localhost")
    started = time.monotonic()
    answer = _tls(proxy, short, close_after=False, wait=15)
    assert answer == b"" or answer.startswith(b"HTTP/1.1 4"), answer[:200]
    assert time.monotonic() - started < 10


def test_a_short_body_then_the_end_is_never_a_5xx(proxy: Proxy, server_ca: DevCA) -> None:
    log = proxy.folder / "access.log"
    before = len(log.read_text().splitlines())
    short = short_body(signed_launch(server_ca), host="localhost")
    assert _tls(proxy, short, close_after=True, wait=15) == b""

    # Nothing can be read back after our close_notify, so ask nginx's log what it answered.
    def statuses() -> list[str]:
        lines = log.read_text().splitlines()[before:]
        return [line.split('"')[2].split()[0] for line in lines]

    deadline = time.monotonic() + 5
    while not any(s.startswith("4") for s in statuses()) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert any(s.startswith("4") for s in statuses()), statuses()
    assert not any(s.startswith("5") for s in statuses()), statuses()


def test_headers_that_never_end_are_closed_by_the_proxy(proxy: Proxy) -> None:
    started = time.monotonic()
    answer = _tls(
        proxy, b"POST /alexa HTTP/1.1\r\nHost: x\r\nX-Slow: a", close_after=False, wait=15
    )
    assert answer == b"" or answer.startswith(b"HTTP/1.1 4"), answer[:200]
    assert time.monotonic() - started < 10


def test_a_body_over_64_kib_is_refused_by_the_proxy(proxy: Proxy, server_ca: DevCA) -> None:
    big = b'{"pad":"' + b"x" * 70_000 + b'"}'
    signed = Signed(big, {"Content-Type": "application/json", **server_ca.sign(big)})
    timed = timed_post(proxy.port, signed.body, signed.headers, context=proxy.context)
    assert timed.status == 413


def test_only_alexa_is_public(proxy: Proxy) -> None:
    for path in ("/metrics", "/readyz", "/simulator/"):
        answer = _tls(
            proxy,
            f"GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n".encode(),
            close_after=False,
            wait=5,
        )
        assert answer.startswith(b"HTTP/1.1 404"), (path, answer[:100])
