"""Verifying that a request really came from Alexa, before its body is parsed.

`request.py` checks the signature, the certificate URL and chain, the timestamp and the skill id;
`cert_cache.py` keeps validated signing keys so that no request can abuse fetching;
`cert_fetch.py` fetches a chain over HTTPS; `errors.py` holds the one exception they raise.
"""

from skill.verification.cert_fetch import CertLoader, default_cert_loader
from skill.verification.errors import VerificationError
from skill.verification.request import (
    RequestVerifier,
    canonical_cert_url,
    check_application_id,
    check_cert_url,
    check_timestamp,
    load_trusted_roots,
    timestamp_window,
)

__all__ = [
    "CertLoader",
    "RequestVerifier",
    "VerificationError",
    "canonical_cert_url",
    "check_application_id",
    "check_cert_url",
    "check_timestamp",
    "default_cert_loader",
    "load_trusted_roots",
    "timestamp_window",
]
