"""What the request-verification tests share: a counting certificate loader, hand-moved clocks,
leaf variants under one development CA, and a verifier built with test defaults."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from skill.devtools import devca
from skill.devtools.devca import DevCA, make_dev_ca
from skill.verification import (
    RequestVerifier,
)

BODY = b'{"version":"1.0","request":{"type":"IntentRequest","userId":"amzn1.ask.account.SECRET"}}'
SKILL_ID = "amzn1.ask.skill.11111111-2222-3333-4444-555555555555"


class CountingLoader:
    """Serves one chain for any URL and counts fetches."""

    def __init__(self, *chains: bytes) -> None:
        self.chains = list(chains)
        self.urls: list[str] = []

    def __call__(self, url: str) -> bytes:
        self.urls.append(url)
        return self.chains[min(len(self.urls), len(self.chains)) - 1]


class FakeClock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def variant(
    ca: DevCA,
    *,
    san: str = devca.DEV_SAN,
    not_before: datetime | None = None,
    not_after: datetime | None = None,
) -> DevCA:
    """Another leaf under ca's root and intermediate, reusing its key to skip key generation."""
    return make_dev_ca(
        san=san,
        not_before=not_before,
        not_after=not_after,
        root=ca.root,
        intermediate=ca.intermediate,
        leaf_key=ca.leaf_key,
    )


class FakeTicks:
    """A monotonic clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def make_verifier(
    ca: DevCA,
    loader: Callable[[str], bytes] | None = None,
    clock: Callable[[], datetime] | None = None,
    cache_size: int = 64,
    **limits: Any,
) -> RequestVerifier:
    return RequestVerifier(
        ca.root_pem,
        cert_loader=ca.loader if loader is None else loader,
        clock=(lambda: datetime.now(UTC)) if clock is None else clock,
        cache_size=cache_size,
        **limits,
    )


def verify(verifier: RequestVerifier, headers: dict[str, str], body: bytes = BODY) -> None:
    verifier.verify_signature(
        headers.get("SignatureCertChainUrl"), headers.get("Signature-256"), body
    )
