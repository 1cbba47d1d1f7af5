"""The development CA kept in a folder, so `serve --dev` and `simulate --url` share one.

Everything lives in one PEM file (BUNDLE_NAME), private to its owner and published with an atomic
link, so a server and a simulator started together agree on a single CA.
"""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey

from skill.devtools.devca import (
    BUNDLE_NAME,
    DEV_CERT_URL,
    Authority,
    DevCA,
    assemble,
    cert_pem,
    make_dev_ca,
)

# Renew a persisted CA this long before its leaf expires, so a dev session never straddles it.
_RENEW_MARGIN = timedelta(days=1)
_PEM_BLOCK = re.compile(rb"-----BEGIN ([A-Z ]+)-----\r?\n.*?-----END \1-----\r?\n?", re.DOTALL)
_BUNDLE_LABELS = [b"CERTIFICATE", b"PRIVATE KEY"] * 3


def load_or_create_dev_ca(directory: Path) -> DevCA:
    """The CA persisted in directory, creating (or renewing) it first if needed.

    Everything lives in one PEM file published with an atomic link, so a server and a simulator
    started together agree on a single CA.
    """
    path = directory / BUNDLE_NAME
    for _ in range(3):
        try:
            ca = _read_bundle(path.read_bytes())
        except FileNotFoundError:
            pass
        else:
            if ca.leaf.not_valid_after_utc - _RENEW_MARGIN > datetime.now(UTC):
                return ca
            with contextlib.suppress(FileNotFoundError):
                path.unlink()
        directory.mkdir(parents=True, exist_ok=True)
        ca = make_dev_ca()
        if _publish(path, bundle_bytes(ca)):
            return ca
    raise RuntimeError(f"could not create a stable development CA in {directory}")


def _key_pem(key: RSAPrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )


def bundle_bytes(ca: DevCA) -> bytes:
    return b"".join(
        [
            cert_pem(ca.root.cert),
            _key_pem(ca.root.key),
            cert_pem(ca.intermediate.cert),
            _key_pem(ca.intermediate.key),
            cert_pem(ca.leaf),
            _key_pem(ca.leaf_key),
        ]
    )


def _read_bundle(data: bytes) -> DevCA:
    blocks = list(_PEM_BLOCK.finditer(data))
    if [block.group(1) for block in blocks] != _BUNDLE_LABELS:
        raise ValueError(f"{BUNDLE_NAME} is not a development CA bundle; delete it to recreate")
    pems = [block.group(0) for block in blocks]
    certs = [x509.load_pem_x509_certificate(pem) for pem in pems[0::2]]
    keys = [_load_rsa_key(pem) for pem in pems[1::2]]
    root, intermediate = Authority(certs[0], keys[0]), Authority(certs[1], keys[1])
    return assemble(root, intermediate, certs[2], keys[2], DEV_CERT_URL)


def _load_rsa_key(pem: bytes) -> RSAPrivateKey:
    key = serialization.load_pem_private_key(pem, password=None)
    if not isinstance(key, RSAPrivateKey):
        raise ValueError(f"{BUNDLE_NAME} holds a key that is not RSA")
    return key


def _publish(path: Path, data: bytes) -> bool:
    """Create path with data unless another process got there first; True if ours won."""
    # mkstemp files are private (0600), which matters because the bundle holds private keys.
    fd, temp_name = tempfile.mkstemp(dir=path.parent, prefix=".dev-ca-", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        # link() fails if path exists, so exactly one concurrent creator wins.
        os.link(temp_name, path)
    except FileExistsError:
        return False
    finally:
        os.unlink(temp_name)
    return True
