"""Request signatures and certificate URLs: what Alexa signs, and where its chain may be fetched."""

from __future__ import annotations

import pytest

from skill.devtools.devca import DevCA, make_dev_ca
from skill.verification import (
    VerificationError,
    canonical_cert_url,
    check_cert_url,
)
from tests.helpers.verification import (
    BODY,
    CountingLoader,
    make_verifier,
    verify,
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
