"""A throwaway TLS certificate for a development server on this machine (the API stand-in)."""

from __future__ import annotations

import ssl
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives import serialization

from skill.devtools.devca import make_leaf, make_root, new_key

# A DNS name, since the development leaf carries one; the server itself binds 127.0.0.1 only.
LOOPBACK_HOST = "localhost"


@dataclass(frozen=True)
class LoopbackCertificate:
    """A root (the file clients trust) and a leaf for LOOPBACK_HOST, written to a folder."""

    host: str
    ca_file: Path
    cert_file: Path
    key_file: Path

    def server_context(self) -> ssl.SSLContext:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.minimum_version = ssl.TLSVersion.TLSv1_2
        context.load_cert_chain(self.cert_file, self.key_file)
        return context


def loopback_certificate(folder: Path) -> LoopbackCertificate:
    """Make a fresh root and a server leaf for LOOPBACK_HOST in `folder` (private files)."""
    root = make_root("cramp-relief Alexa API stand-in root")
    key = new_key()
    leaf = make_leaf(root, key, san=LOOPBACK_HOST)
    pem = serialization.Encoding.PEM
    ca_file, cert_file, key_file = folder / "ca.pem", folder / "server.pem", folder / "server.key"
    ca_file.write_bytes(root.cert.public_bytes(pem))
    cert_file.write_bytes(leaf.public_bytes(pem))
    key_file.touch(mode=0o600)
    key_file.write_bytes(
        key.private_bytes(pem, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    return LoopbackCertificate(LOOPBACK_HOST, ca_file, cert_file, key_file)
