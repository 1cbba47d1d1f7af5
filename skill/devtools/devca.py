"""A local development CA that signs requests the way Alexa does, for tests and `simulate`.

ca_folder.py keeps one in a folder that `serve --dev` and `simulate --url` share.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

DEV_SAN = "echo-api.amazon.com"
DEV_CERT_URL = "https://s3.amazonaws.com/echo.api/dev-cramp-relief.pem"
# The file a CA folder keeps it in (ca_folder.py).
BUNDLE_NAME = "dev-ca.pem"

_CA_LIFETIME = timedelta(days=3650)
_LEAF_LIFETIME = timedelta(days=365)
# Issue certificates slightly in the past so a clock a little behind still accepts them.
_BACKDATE = timedelta(hours=1)


@dataclass(frozen=True)
class Authority:
    """A certificate together with its private key (a root or intermediate CA)."""

    cert: x509.Certificate
    key: RSAPrivateKey


@dataclass(frozen=True)
class DevCA:
    """Root -> intermediate -> leaf; the leaf signs request bodies."""

    root_pem: bytes
    chain_pem: bytes
    cert_url: str
    leaf_key: RSAPrivateKey
    root: Authority = field(repr=False)
    intermediate: Authority = field(repr=False)
    leaf: x509.Certificate = field(repr=False)

    def sign(self, body: bytes, *, cert_url: str | None = None) -> dict[str, str]:
        """Headers Alexa would send with body; cert_url overrides the advertised URL."""
        signature = self.leaf_key.sign(body, padding.PKCS1v15(), hashes.SHA256())
        return {
            "SignatureCertChainUrl": self.cert_url if cert_url is None else cert_url,
            "Signature-256": base64.b64encode(signature).decode("ascii"),
        }

    def loader(self, url: str) -> bytes:
        """A CertLoader that serves chain_pem at cert_url only."""
        if url != self.cert_url:
            raise OSError("no development certificate at that URL")
        return self.chain_pem


def new_key() -> RSAPrivateKey:
    """A fresh RSA 2048 key (the smallest size the verifier accepts)."""
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def make_root(common_name: str = "cramp-relief dev root CA") -> Authority:
    """A self-signed root CA."""
    key = new_key()
    name = _name(common_name)
    now = datetime.now(UTC)
    builder = _ca_builder(name, name, key, key, path_length=None)
    cert = builder.not_valid_before(now - _BACKDATE).not_valid_after(now + _CA_LIFETIME)
    return Authority(cert.sign(key, hashes.SHA256()), key)


def make_intermediate(
    root: Authority, common_name: str = "cramp-relief dev intermediate CA"
) -> Authority:
    """An intermediate CA issued by root, allowed to issue leaves only."""
    key = new_key()
    now = datetime.now(UTC)
    builder = _ca_builder(_name(common_name), root.cert.subject, key, root.key, path_length=0)
    cert = builder.not_valid_before(now - _BACKDATE).not_valid_after(now + _CA_LIFETIME)
    return Authority(cert.sign(root.key, hashes.SHA256()), key)


def make_leaf(
    issuer: Authority,
    key: RSAPrivateKey,
    *,
    san: str = DEV_SAN,
    not_before: datetime | None = None,
    not_after: datetime | None = None,
) -> x509.Certificate:
    """A request-signing leaf for san, issued by issuer."""
    now = datetime.now(UTC)
    start = now - _BACKDATE if not_before is None else not_before
    end = now + _LEAF_LIFETIME if not_after is None else not_after
    public = key.public_key()
    builder = (
        x509.CertificateBuilder()
        .subject_name(_name(san))
        .issuer_name(issuer.cert.subject)
        .public_key(public)
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(end)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(_key_usage(ca=False), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(san)]), critical=False)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public), critical=False)
        .add_extension(_aki(issuer.key), critical=False)
    )
    return builder.sign(issuer.key, hashes.SHA256())


def make_dev_ca(
    *,
    san: str = DEV_SAN,
    not_before: datetime | None = None,
    not_after: datetime | None = None,
    root: Authority | None = None,
    intermediate: Authority | None = None,
    leaf_key: RSAPrivateKey | None = None,
    cert_url: str = DEV_CERT_URL,
) -> DevCA:
    """Build a CA; pass root/intermediate/leaf_key to reuse them (key generation is slow).

    not_before/not_after and san shape the leaf, so tests can make expired, not-yet-valid or
    wrong-name leaves under a trusted root; a fresh root gives an untrusted chain.
    """
    if intermediate is not None:
        if root is None:
            raise ValueError("an intermediate needs the root that issued it")
        intermediate.cert.verify_directly_issued_by(root.cert)
    root = make_root() if root is None else root
    intermediate = make_intermediate(root) if intermediate is None else intermediate
    leaf_key = new_key() if leaf_key is None else leaf_key
    leaf = make_leaf(intermediate, leaf_key, san=san, not_before=not_before, not_after=not_after)
    return assemble(root, intermediate, leaf, leaf_key, cert_url)


def assemble(
    root: Authority,
    intermediate: Authority,
    leaf: x509.Certificate,
    leaf_key: RSAPrivateKey,
    cert_url: str,
) -> DevCA:
    return DevCA(
        root_pem=cert_pem(root.cert),
        chain_pem=cert_pem(leaf) + cert_pem(intermediate.cert),
        cert_url=cert_url,
        leaf_key=leaf_key,
        root=root,
        intermediate=intermediate,
        leaf=leaf,
    )


def _name(common_name: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "cramp-relief development"),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )


def _ca_builder(
    subject: x509.Name,
    issuer: x509.Name,
    key: RSAPrivateKey,
    issuer_key: RSAPrivateKey,
    *,
    path_length: int | None,
) -> x509.CertificateBuilder:
    public = key.public_key()
    return (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer)
        .public_key(public)
        .serial_number(x509.random_serial_number())
        .add_extension(x509.BasicConstraints(ca=True, path_length=path_length), critical=True)
        .add_extension(_key_usage(ca=True), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public), critical=False)
        .add_extension(_aki(issuer_key), critical=False)
    )


def _key_usage(*, ca: bool) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=True,
        content_commitment=False,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=ca,
        crl_sign=ca,
        encipher_only=False,
        decipher_only=False,
    )


def _aki(issuer_key: RSAPrivateKey) -> x509.AuthorityKeyIdentifier:
    return x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_key.public_key())


def cert_pem(cert: x509.Certificate) -> bytes:
    return cert.public_bytes(serialization.Encoding.PEM)
