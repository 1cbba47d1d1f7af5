"""Certificate fetching that requests cannot abuse: failures remembered, one fetch per URL at a
time, a cap per minute, a good chain that a flood of new URLs never evicts, and no fetch for a
request that could not be genuine."""

from __future__ import annotations

import base64
import json
import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from skill import create_app
from skill.devtools.devca import DevCA
from skill.envelopes import Conversation
from skill.verification import RequestVerifier, VerificationError
from skill.verification.cert_cache import NEGATIVE_TTL_SECONDS

BODY = b'{"version":"1.0","request":{"type":"LaunchRequest"}}'
BAD_SIGNATURE = base64.b64encode(b"\x01" * 256).decode()


class Ticks:
    def __init__(self) -> None:
        self.now = 5000.0

    def __call__(self) -> float:
        return self.now


class Loader:
    """Serves `chain` (or raises `error`) for any URL, counting fetches per URL."""

    def __init__(self, chain: bytes = b"", error: Exception | None = None) -> None:
        self.chain = chain
        self.error = error
        self.urls: list[str] = []
        self.lock = threading.Lock()

    def __call__(self, url: str) -> bytes:
        with self.lock:
            self.urls.append(url)
        if self.error is not None:
            raise self.error
        return self.chain


def verifier(
    ca: DevCA, loader: Callable[[str], bytes], outcomes: list[str] | None = None, **limits: object
) -> RequestVerifier:
    return RequestVerifier(
        ca.root_pem,
        cert_loader=loader,
        clock=lambda: datetime.now(UTC),
        observe=None if outcomes is None else outcomes.append,
        **limits,  # type: ignore[arg-type]
    )


def url(name: str) -> str:
    return f"https://s3.amazonaws.com/echo.api/{name}.pem"


def test_a_failed_fetch_is_remembered_for_a_minute(ca: DevCA) -> None:
    loader = Loader(error=TimeoutError())
    ticks = Ticks()
    outcomes: list[str] = []
    check = verifier(ca, loader, outcomes, monotonic=ticks)
    for _ in range(5):
        with pytest.raises(VerificationError, match=r"^could not fetch the signing certificate$"):
            check.verify_signature(url("gone"), BAD_SIGNATURE, BODY)
    assert loader.urls == [url("gone")]
    assert outcomes == ["unreachable"] + ["remembered_failure"] * 4
    ticks.now += NEGATIVE_TTL_SECONDS - 1
    with pytest.raises(VerificationError):
        check.verify_signature(url("gone"), BAD_SIGNATURE, BODY)
    assert len(loader.urls) == 1
    ticks.now += 2
    with pytest.raises(VerificationError):
        check.verify_signature(url("gone"), BAD_SIGNATURE, BODY)
    assert len(loader.urls) == 2


def test_concurrent_requests_for_one_url_share_one_fetch(ca: DevCA) -> None:
    release = threading.Event()
    calls: list[str] = []

    def slow(requested: str) -> bytes:
        calls.append(requested)
        release.wait(5)
        return ca.chain_pem

    outcomes: list[str] = []
    check = verifier(ca, slow, outcomes)
    headers = ca.sign(BODY)
    errors: list[BaseException] = []

    def work() -> None:
        try:
            check.verify_signature(headers["SignatureCertChainUrl"], headers["Signature-256"], BODY)
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(8)]
    for thread in threads:
        thread.start()
    # Every follower is waiting on the one fetch before it is let finish.
    for _ in range(500):
        if outcomes.count("shared") == 7:
            break
        threading.Event().wait(0.01)
    release.set()
    for thread in threads:
        thread.join(10)
    assert errors == []
    assert calls == [ca.cert_url]
    assert sorted(outcomes) == ["ok"] + ["shared"] * 7


def test_fetches_are_capped_per_minute(ca: DevCA) -> None:
    loader = Loader(error=OSError("refused"))
    ticks = Ticks()
    check = verifier(ca, loader, monotonic=ticks, max_fetches_per_minute=3)
    reasons = []
    for index in range(5):
        with pytest.raises(VerificationError) as caught:
            check.verify_signature(url(f"new-{index}"), BAD_SIGNATURE, BODY)
        reasons.append(str(caught.value))
    assert len(loader.urls) == 3
    assert reasons[3:] == ["too many certificate fetches in the last minute; try again later"] * 2
    ticks.now += 61
    with pytest.raises(VerificationError, match="could not fetch"):
        check.verify_signature(url("new-4"), BAD_SIGNATURE, BODY)
    assert len(loader.urls) == 4


def test_a_flood_of_new_urls_never_evicts_the_good_chain(ca: DevCA) -> None:
    """Even when every new URL serves a chain that verifies (which only Amazon could arrange),
    chains that never verified a signature are evicted before the one that did."""
    loader = Loader(ca.chain_pem)
    check = verifier(ca, loader, cache_size=4, max_fetches_per_minute=1000)
    good = ca.sign(BODY)
    check.verify_signature(good["SignatureCertChainUrl"], good["Signature-256"], BODY)
    for index in range(200):
        with pytest.raises(VerificationError, match="signature does not match"):
            check.verify_signature(url(f"flood-{index}"), BAD_SIGNATURE, BODY)
    before = len(loader.urls)
    check.verify_signature(good["SignatureCertChainUrl"], good["Signature-256"], BODY)
    assert len(loader.urls) == before == 201


def test_a_bad_signature_flood_fetches_each_canonical_url_once(ca: DevCA) -> None:
    loader = Loader(error=OSError("404"))
    check = verifier(ca, loader)
    spellings = [
        "https://s3.amazonaws.com/echo.api/{}.pem",
        "HTTPS://S3.AmazonAWS.com/echo.api/{}.pem",
        "https://s3.amazonaws.com:443/echo.api/./{}.pem",
        "https://s3.amazonaws.com/echo.api//{}.pem",
        "https://s3.amazonaws.com/echo.api/{}.pem?n=1",
        "https://s3.amazonaws.com/echo.api/{}.pem#x",
    ]
    for _ in range(20):
        for name in ("a", "b", "c"):
            for spelling in spellings:
                with pytest.raises(VerificationError):
                    check.verify_signature(spelling.format(name), BAD_SIGNATURE, BODY)
    assert sorted(loader.urls) == [url("a"), url("b"), url("c")]


def test_would_fetch_says_whether_a_lookup_would_start_a_fetch(ca: DevCA) -> None:
    check = verifier(ca, Loader(ca.chain_pem))
    good = ca.sign(BODY)
    assert check.would_fetch(good["SignatureCertChainUrl"])
    check.verify_signature(good["SignatureCertChainUrl"], good["Signature-256"], BODY)
    assert not check.would_fetch(good["SignatureCertChainUrl"])
    failing = verifier(ca, Loader(error=OSError("404")))
    with pytest.raises(VerificationError):
        failing.verify_signature(url("gone"), BAD_SIGNATURE, BODY)
    assert not failing.would_fetch(url("gone"))
    assert not check.would_fetch(None)
    assert not check.would_fetch("https://example.com/echo.api/x.pem")


def test_requests_that_could_not_be_genuine_spend_no_fetch(
    app_config: dict[str, Any], dev_ca: DevCA
) -> None:
    """After a restart nothing is cached: a flood of stale or other-skill requests naming new
    certificate URLs is refused before fetching, so Alexa's own request still gets its fetch."""
    counted = Loader(dev_ca.chain_pem)
    app = create_app({**app_config, "CERT_LOADER": counted})
    client = app.test_client()
    stale = Conversation().launch(when=datetime.now(UTC) - timedelta(minutes=10))
    other = Conversation(skill_id="amzn1.ask.skill.someone-else").launch()
    for index, envelope in enumerate([stale, other] * 10):
        body = json.dumps(envelope).encode()
        headers = dev_ca.sign(body, cert_url=url(f"flood-{index}"))
        response = client.post(
            "/alexa", data=body, headers=headers, content_type="application/json"
        )
        assert response.status_code == 400
    assert counted.urls == []
    body = json.dumps(Conversation().launch()).encode()
    genuine = client.post(
        "/alexa", data=body, headers=dev_ca.sign(body), content_type="application/json"
    )
    assert genuine.status_code == 200
    assert counted.urls == [dev_ca.cert_url]
