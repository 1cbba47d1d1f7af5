"""The exception every verification module raises (request checks, the certificate cache)."""

from __future__ import annotations


class VerificationError(Exception):
    """A request failed verification; str(err) is a short reason safe to return and log."""
