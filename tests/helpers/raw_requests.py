"""Raw requests to /alexa: an envelope's bytes, and a POST of any bytes with any headers."""

from __future__ import annotations

import json
from typing import Any

from flask.testing import FlaskClient


def body_of(envelope: dict[str, Any]) -> bytes:
    return json.dumps(envelope).encode()


def post(client: FlaskClient, body: bytes, headers: dict[str, str]) -> Any:
    return client.post("/alexa", data=body, headers={"Content-Type": "application/json", **headers})
