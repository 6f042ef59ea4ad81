"""Development PKI for the reference backend: a CA generated at set-up (trustme) and a server cert.

    python -m simulators.backend.pki DIR        # writes DIR/ca.pem, ca.key, server.pem, server.key

The kiosk trusts DIR/ca.pem (config backend.ca_bundle). server.pem holds the server certificate
chain for 127.0.0.1 and localhost. Running it again keeps a complete, still-valid set as it is.
For the client's TLS failure tests: mint_expired_cert() (same CA, validity in the past) and
mint_foreign_cert() (a certificate from a CA the kiosk does not trust).
This is development material: ca.key never leaves the machine and is never committed.
"""

from __future__ import annotations

import datetime as dt
import sys
from dataclasses import dataclass
from pathlib import Path

import trustme
from cryptography import x509

SERVER_NAMES = ("127.0.0.1", "localhost")
ORGANIZATION = "Village Kiosk reference backend (development CA)"
RENEW_BEFORE = dt.timedelta(days=2)


@dataclass(frozen=True)
class ServerPki:
    ca_pem: Path
    cert_pem: Path  # chain: server cert first, then the CA
    key_pem: Path


def pki_files(directory: Path) -> ServerPki:
    d = Path(directory)
    return ServerPki(ca_pem=d / "ca.pem", cert_pem=d / "server.pem", key_pem=d / "server.key")


def _write_private(path: Path, data: bytes) -> None:
    path.write_bytes(data)
    path.chmod(0o600)


def _still_valid(cert_pem: Path, ca_pem: Path) -> bool:
    try:
        cert = x509.load_pem_x509_certificate(cert_pem.read_bytes())
        ca = x509.load_pem_x509_certificate(ca_pem.read_bytes())
    except (OSError, ValueError):
        return False
    now = dt.datetime.now(dt.UTC)
    return cert.not_valid_after_utc - now > RENEW_BEFORE and cert.issuer == ca.subject


def _issue(ca: trustme.CA, directory: Path, stem: str, **validity: dt.datetime) -> ServerPki:
    leaf = ca.issue_cert(*SERVER_NAMES, organization_name=ORGANIZATION, **validity)
    cert_path, key_path = directory / f"{stem}.pem", directory / f"{stem}.key"
    cert_path.write_bytes(b"".join(blob.bytes() for blob in leaf.cert_chain_pems))
    _write_private(key_path, leaf.private_key_pem.bytes())
    return ServerPki(ca_pem=directory / "ca.pem", cert_pem=cert_path, key_pem=key_path)


def _load_ca(directory: Path) -> trustme.CA:
    return trustme.CA.from_pem((directory / "ca.pem").read_bytes(), (directory / "ca.key").read_bytes())


def ensure_pki(directory: Path | str) -> ServerPki:
    """Create the CA and server certificate if missing or about to expire; idempotent."""
    d = Path(directory)
    d.mkdir(parents=True, exist_ok=True)
    files = pki_files(d)
    ca_key = d / "ca.key"
    if files.ca_pem.exists() and ca_key.exists():
        if files.key_pem.exists() and _still_valid(files.cert_pem, files.ca_pem):
            return files
        ca = _load_ca(d)
    else:
        ca = trustme.CA(organization_name=ORGANIZATION)
        files.ca_pem.write_bytes(ca.cert_pem.bytes())
        _write_private(ca_key, ca.private_key_pem.bytes())
    return _issue(ca, d, "server")


def mint_expired_cert(pki_dir: Path | str, out_dir: Path | str) -> ServerPki:
    """A server cert from the development CA whose validity ended yesterday (client must refuse it)."""
    ensure_pki(pki_dir)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    now = dt.datetime.now(dt.UTC)
    files = _issue(_load_ca(Path(pki_dir)), out, "expired",
                   not_before=now - dt.timedelta(days=30), not_after=now - dt.timedelta(days=1))
    return ServerPki(ca_pem=Path(pki_dir) / "ca.pem", cert_pem=files.cert_pem, key_pem=files.key_pem)


def mint_foreign_cert(out_dir: Path | str) -> ServerPki:
    """A valid-looking cert for 127.0.0.1 from a fresh CA the kiosk does not trust.

    ca_pem of the result is the foreign CA (written as other-ca.pem), not the kiosk's CA.
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    ca = trustme.CA(organization_name="Untrusted test CA")
    (out / "other-ca.pem").write_bytes(ca.cert_pem.bytes())
    files = _issue(ca, out, "foreign")
    return ServerPki(ca_pem=out / "other-ca.pem", cert_pem=files.cert_pem, key_pem=files.key_pem)


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1 or args[0].startswith("-"):
        print("usage: python -m simulators.backend.pki DIR", file=sys.stderr)
        return 2
    files = ensure_pki(args[0])
    print(f"pki: CA {files.ca_pem}, server cert {files.cert_pem}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
