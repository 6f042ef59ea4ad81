"""Command-line options the two HTTPS servers share: the reference backend and its fault proxy.

    --listen HOST:PORT  --control HOST:PORT  --pki DIR  [--tls-cert FILE --tls-key FILE]  [--plain-http]

`server_options(args)` checks them (plain http only on 127.0.0.1, certificate and key together) and
`server_cert(args)` names the certificate to serve: the given one, or the set-up CA's server cert.
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from pathlib import Path

from simulators.backend.pki import ensure_pki
from simulators.control import parse_listen

REPO = Path(__file__).resolve().parents[2]


class UsageError(ValueError):
    """Bad command-line options: the caller prints it and exits with status 2."""


@dataclass(frozen=True)
class ServerOptions:
    host: str
    port: int
    control_host: str
    control_port: int


def add_server_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--listen", default="127.0.0.1:8443", help="HOST:PORT (port 0: ephemeral)")
    p.add_argument("--control", default="127.0.0.1:0", help="control API HOST:PORT")
    p.add_argument("--pki", type=Path, default=REPO / "var" / "pki",
                   help="development CA and server cert directory, created if missing")
    p.add_argument("--tls-cert", type=Path, default=None, help="serve this certificate instead")
    p.add_argument("--tls-key", type=Path, default=None)
    p.add_argument("--plain-http", action="store_true", help="serve http (only with a 127.0.0.1 listen address)")


def server_options(args: argparse.Namespace) -> ServerOptions:
    try:
        host, port = parse_listen(args.listen)
        control_host, control_port = parse_listen(args.control)
    except ValueError as exc:
        raise UsageError(str(exc)) from exc
    if args.plain_http and host != "127.0.0.1":
        raise UsageError("--plain-http is only allowed with a 127.0.0.1 listen address")
    if (args.tls_cert is None) != (args.tls_key is None):
        raise UsageError("--tls-cert and --tls-key go together")
    return ServerOptions(host, port, control_host, control_port)


def server_cert(args: argparse.Namespace) -> tuple[Path, Path]:
    """(certificate chain, private key) to serve over TLS."""
    if args.tls_cert is not None:
        return args.tls_cert, args.tls_key
    files = ensure_pki(args.pki)
    return files.cert_pem, files.key_pem
