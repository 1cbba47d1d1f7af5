"""POST /alexa's request verification: signatures, certificate URLs and chains, time, skill id."""

from __future__ import annotations

import functools
import time
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from skill import create_app
from skill.devtools.devca import DevCA, make_dev_ca
from skill.envelopes import Conversation
from tests.helpers.alexa import AlexaClient
from tests.helpers.raw_requests import body_of, post

GOOD_URL = "https://s3.amazonaws.com/echo.api/dev-cramp-relief.pem"


@pytest.fixture
def launch_body() -> bytes:
    return body_of(Conversation().launch())


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"SignatureCertChainUrl": GOOD_URL},
        {"SignatureCertChainUrl": GOOD_URL, "Signature-256": ""},
        {"SignatureCertChainUrl": GOOD_URL, "Signature-256": "not base64 at all!"},
    ],
    ids=["none", "missing", "empty", "not-base64"],
)
def test_missing_or_bad_signature_is_400(
    client: FlaskClient, launch_body: bytes, headers: dict[str, str]
) -> None:
    reply = post(client, launch_body, headers)
    assert reply.status_code == 400
    assert reply.get_json()["reason"]


def test_only_the_old_sha1_signature_header_is_400(
    client: FlaskClient, dev_ca: DevCA, launch_body: bytes
) -> None:
    signed = dev_ca.sign(launch_body)
    headers = {"SignatureCertChainUrl": GOOD_URL, "Signature": signed["Signature-256"]}
    assert post(client, launch_body, headers).status_code == 400


def test_body_changed_by_one_byte_is_400(
    client: FlaskClient, dev_ca: DevCA, launch_body: bytes
) -> None:
    headers = dev_ca.sign(launch_body)
    tampered = launch_body.replace(b"LaunchRequest", b"LaunchRequesu")
    assert post(client, tampered, headers).status_code == 400
    assert post(client, launch_body, headers).status_code == 200


@pytest.mark.parametrize(
    "url",
    [
        "http://s3.amazonaws.com/echo.api/dev-cramp-relief.pem",
        "https://notamazon.com/echo.api/dev-cramp-relief.pem",
        "https://s3.amazonaws.com/EcHo.aPi/dev-cramp-relief.pem",
        "https://s3.amazonaws.com/invalid.path/dev-cramp-relief.pem",
        "https://s3.amazonaws.com:563/echo.api/dev-cramp-relief.pem",
        "https://s3.amazonaws.com/echo.api/../x/dev-cramp-relief.pem",
    ],
)
def test_bad_certificate_urls_are_400(
    client: FlaskClient, dev_ca: DevCA, launch_body: bytes, url: str
) -> None:
    assert post(client, launch_body, dev_ca.sign(launch_body, cert_url=url)).status_code == 400


def _app_trusting(dev_ca: DevCA, signer: DevCA, roots_file: Any) -> Flask:
    return create_app(
        {"TESTING": True, "TRUSTED_ROOTS": str(roots_file), "CERT_LOADER": signer.loader}
    )


@pytest.mark.parametrize(
    "shape",
    ["expired", "not-yet-valid", "wrong-san", "untrusted"],
)
def test_bad_leaves_are_400(dev_ca: DevCA, roots_file: Any, launch_body: bytes, shape: str) -> None:
    now = datetime.now(UTC)
    reuse = functools.partial(
        make_dev_ca, root=dev_ca.root, intermediate=dev_ca.intermediate, leaf_key=dev_ca.leaf_key
    )
    signer = {
        "expired": lambda: reuse(
            not_before=now - timedelta(days=30), not_after=now - timedelta(days=1)
        ),
        "not-yet-valid": lambda: reuse(
            not_before=now + timedelta(days=1), not_after=now + timedelta(days=30)
        ),
        "wrong-san": lambda: reuse(san="echo-api.example.com"),
        "untrusted": lambda: make_dev_ca(leaf_key=dev_ca.leaf_key),
    }[shape]()
    client = _app_trusting(dev_ca, signer, roots_file).test_client()
    assert post(client, launch_body, signer.sign(launch_body)).status_code == 400


def test_certificate_fetch_that_hangs_is_400_within_3_seconds(
    dev_ca: DevCA, roots_file: Any, launch_body: bytes
) -> None:
    def hanging(url: str) -> bytes:
        # The loader given here stands in for a server that never answers; the default loader's
        # own 3-second deadline is tested in test_cert_loader.py against a silent socket.
        raise TimeoutError("timed out")

    app = create_app({"TESTING": True, "TRUSTED_ROOTS": str(roots_file), "CERT_LOADER": hanging})
    started = time.monotonic()
    assert post(app.test_client(), launch_body, dev_ca.sign(launch_body)).status_code == 400
    assert time.monotonic() - started < 3


def test_a_cached_good_url_does_not_let_a_bad_url_through(
    client: FlaskClient, dev_ca: DevCA, launch_body: bytes
) -> None:
    assert post(client, launch_body, dev_ca.sign(launch_body)).status_code == 200
    bad = dev_ca.sign(launch_body, cert_url="https://s3.amazonaws.com/invalid.path/x.pem")
    assert post(client, launch_body, bad).status_code == 400


# Timestamps are whole seconds (as Alexa's), so a stamp falls up to a second short of `skew`, and
# the check runs a moment later: a second either side of the 150 s edge would be flaky.
@pytest.mark.parametrize(("skew", "status"), [(-152, 400), (152, 400), (-148, 200), (148, 200)])
def test_timestamp_window(alexa: AlexaClient, skew: int, status: int) -> None:
    envelope = alexa.conversation.launch(when=datetime.now(UTC) + timedelta(seconds=skew))
    assert alexa.post(envelope).status_code == status


def test_unparsable_timestamp_is_400(alexa: AlexaClient) -> None:
    envelope = alexa.conversation.launch()
    envelope["request"]["timestamp"] = "yesterday-ish"
    assert alexa.post(envelope).status_code == 400


def test_wrong_application_id_is_400(alexa: AlexaClient) -> None:
    envelope = alexa.conversation.launch()
    envelope["context"]["System"]["application"]["applicationId"] = "amzn1.ask.skill.other"
    envelope["session"]["application"]["applicationId"] = "amzn1.ask.skill.other"
    assert alexa.post(envelope).status_code == 400
