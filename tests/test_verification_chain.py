"""Certificate chains and their cache: which leaves verify, and how fetched chains are kept."""

from __future__ import annotations

import base64
import threading
import urllib.error
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding

from skill.devtools.devca import DevCA, make_dev_ca
from skill.verification import (
    VerificationError,
)
from skill.verification.cert_cache import NEGATIVE_TTL_SECONDS
from tests.helpers.verification import (
    BODY,
    CountingLoader,
    FakeClock,
    FakeTicks,
    make_verifier,
    variant,
    verify,
)


@pytest.fixture(scope="module")
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
