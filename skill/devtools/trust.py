"""Which development CA the simulator signs with, and how a server is told to trust it (the
folder it is kept in is ca_dir.py's)."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from skill.devtools.devca import DevCA, make_dev_ca
from skill.verification import CertLoader, default_cert_loader


@cache
def ephemeral_dev_ca() -> DevCA:
    """A CA that exists only in this process, for the in-process simulator.

    Made once per process: three RSA keys take a noticeable fraction of a second.
    """
    return make_dev_ca()


def dev_cert_loader(ca: DevCA, fallback: CertLoader = default_cert_loader) -> CertLoader:
    """Serves the dev chain at its URL; every other URL goes to `fallback` (the real fetch)."""

    def load(url: str) -> bytes:
        if url == ca.cert_url:
            return ca.chain_pem
        return fallback(url)

    return load


def in_process_config(ca: DevCA) -> dict[str, Any]:
    """App settings for the in-process simulator: the real verifier, trusting `ca` as well.

    Its certificate loader knows only the dev chain, so no request ever leaves the process.
    """
    return {"EXTRA_TRUSTED_ROOTS_PEM": ca.root_pem, "CERT_LOADER": ca.loader}


def dev_server_config(ca: DevCA, directory: Path) -> dict[str, Any]:
    """App settings for `serve --dev`: the real roots and fetch, plus the dev CA beside them."""
    return {
        "EXTRA_TRUSTED_ROOTS_PEM": ca.root_pem,
        "CERT_LOADER": dev_cert_loader(ca),
        "DEV_SIMULATOR": True,
        "DEV_CA_DIR": str(directory),
    }
