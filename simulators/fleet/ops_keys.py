"""The operations centre's command-signing key (Ed25519).

`kiosk-sim fleet --signing-key FILE` signs with a real key (PEM, PKCS#8). Without it the
DEVELOPMENT key is used: derived from a fixed, public seed, so anyone can sign commands for a kiosk
that trusts it. config/kiosk.toml carries its public key for the simulators; a deployment puts its
operations centre's own public key into `fleet.command_public_key` and never this one.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import load_pem_private_key

DEV_SEED = hashlib.sha256(b"village-kiosk DEVELOPMENT operations-centre command key").digest()


def development_key() -> Ed25519PrivateKey:
    return Ed25519PrivateKey.from_private_bytes(DEV_SEED)


def load_signing_key(path: Path | str | None) -> Ed25519PrivateKey:
    if path is None:
        return development_key()
    key = load_pem_private_key(Path(path).read_bytes(), password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise ValueError(f"{path}: not an Ed25519 private key")
    return key


if __name__ == "__main__":  # print the development public key (what config/kiosk.toml carries)
    from kiosk.services.fleet_commands import public_key_b64

    print(public_key_b64(development_key()))
