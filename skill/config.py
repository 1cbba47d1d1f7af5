"""Settings: defaults here, overridden by the mapping given to create_app and by
environment variables prefixed CRAMP_RELIEF_ (values parsed as JSON, so `false` is False)."""

from __future__ import annotations

from typing import Any

ENV_PREFIX = "CRAMP_RELIEF"

DEFAULTS: dict[str, Any] = {
    # The skill's id from the developer console; when set, other applicationIds get HTTP 400.
    "SKILL_ID": None,
    # False only for local simulators: requests are then taken without a signature check.
    "VERIFY_REQUESTS": True,
    # Path to a PEM bundle of trusted roots for the signing chain; None means certifi's.
    "TRUSTED_ROOTS": None,
    # Callable url -> PEM bytes that fetches the signing chain; None means an HTTPS fetch.
    "CERT_LOADER": None,
    # Callable returning an aware UTC datetime; tests inject one.
    "CLOCK": None,
    # Requests larger than this are refused unread.
    "MAX_BODY_BYTES": 64 * 1024,
    # The locale answered when a request's locale is one we do not have.
    "DEFAULT_LOCALE": "en-US",
    # SQLite file for resuming routines across sessions; None means the instance folder's.
    "DATABASE": None,
}
