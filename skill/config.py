"""Settings: defaults here, overridden by the mapping given to create_app and by
environment variables prefixed CRAMP_RELIEF_ (values parsed as JSON, so `false` is False)."""

from __future__ import annotations

from types import MappingProxyType
from typing import Any, Final

from skill.locales import DEFAULT_LOCALE

ENV_PREFIX: Final = "CRAMP_RELIEF"

# Read-only: create_app copies it into each app's config.
DEFAULTS: Final[MappingProxyType[str, Any]] = MappingProxyType(
    {
        # The skill's id from the developer console; when set, other applicationIds get HTTP 400.
        "SKILL_ID": None,
        # False only for local simulators: requests are then taken without a signature check.
        "VERIFY_REQUESTS": True,
        # Path to a PEM bundle of trusted roots for the signing chain; None means certifi's.
        "TRUSTED_ROOTS": None,
        # PEM roots trusted IN ADDITION to TRUSTED_ROOTS; `serve --dev` puts the local development
        # CA here. Bytes, so it is set in code only, never from the environment.
        "EXTRA_TRUSTED_ROOTS_PEM": None,
        # Callable url -> PEM bytes that fetches the signing chain; None means an HTTPS fetch.
        "CERT_LOADER": None,
        # Callable returning an aware UTC datetime; tests inject one.
        "CLOCK": None,
        # Requests larger than this are refused unread.
        "MAX_BODY_BYTES": 64 * 1024,
        # The locale answered when a request's locale is one we do not have.
        "DEFAULT_LOCALE": DEFAULT_LOCALE,
        # Where saved places and answered request ids live (skill.storage.url): an SQLite path or
        # sqlite:// URL, postgresql://… or dynamodb://…; None means an SQLite file in the instance
        # folder.
        "DATABASE": None,
        # Seconds any one database call may take (connection wait, statement, lock); then the
        # request is answered without the store.
        "DATABASE_TIMEOUT": 1.0,
        # Connections per worker process to a PostgreSQL server, at most.
        "DATABASE_POOL_SIZE": 4,
        # With verification on, a requestId already answered gets HTTP 400. False only for load
        # tools that send one signed request over and over (bench's wrk runs).
        "REFUSE_REPLAYS": True,
        # Alexa's APIs (reminders, the device time zone): the apiEndpoints a request may name; None
        # means Alexa's three regional hosts. `serve --dev` and the simulator add their stand-in's.
        "ALEXA_API_ENDPOINTS": None,
        # PEM file of roots to trust for those APIs; None means certifi's (the stand-in has its
        # own).
        "ALEXA_API_CA_FILE": None,
        # Seconds each call may take (at most 2): a slow API must still leave time to answer.
        "ALEXA_API_TIMEOUT": 2.0,
        # True only under `serve --dev`, which then adds the /simulator page (skill.simulator.web);
        # the app itself never serves it.
        "DEV_SIMULATOR": False,
        # Folder of the local development CA (skill.devtools.devca) that `serve --dev` trusts and
        # `simulate` signs with; None means skill.devtools.ca_dir.default_dev_ca_dir().
        "DEV_CA_DIR": None,
        # Host names the development pages answer to (DNS rebinding); None means loopback only.
        # `serve --dev --dev-allow-remote --host NAME` adds NAME.
        "DEV_ALLOWED_HOSTS": None,
    }
)
