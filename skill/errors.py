"""Exceptions shared by the verification modules (skill.verification, skill.cert_cache)."""

from __future__ import annotations


class VerificationError(Exception):
    """A request failed verification; str(err) is a short reason safe to return and log."""
