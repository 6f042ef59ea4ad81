"""`kiosk-sim backend`: the reference platform over HTTPS (uvicorn), plus a small control API.

    kiosk-sim backend --listen 127.0.0.1:8443 [--control 127.0.0.1:0] [--pki DIR] [--kiosk-key FILE]
                      [--db FILE] [--plain-http] [--tls-cert FILE --tls-key FILE]

--pki DIR         development CA + server cert, created if missing (default <repo>/var/pki)
--kiosk-key FILE  the kiosk's HMAC key (default <repo>/var/kiosk.key, made at set-up)
--db FILE         SQLite storage (default: a fresh temporary file, removed on exit)
--plain-http      serve http instead of https; only with a 127.0.0.1 listen address
--tls-cert/--tls-key  serve this certificate instead (client TLS tests: expired or foreign cert)

Control API (JSON over http on 127.0.0.1): GET /state, POST /payments/paid {"order_no"} or
{"newest_pending": true}, POST /appointments/fill {"item_id", "slot_id"?} (other residents take a
slot's remaining places; the first free slot without slot_id), POST /clock {"offset_s"}, GET /accounts
(each persona's 水电气 户号), POST /reset (an empty database, the clock back to true time),
GET /diagnostics[?bundle_no=] (the diagnostics bundles kiosks uploaded). It prints
`READY {"listen": PORT, "control": PORT, "scheme": …}` once
the HTTPS port accepts connections.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import uvicorn

from kiosk.services.signing import KeyFileError, load_key
from simulators.backend.app import create_app
from simulators.backend.context import Backend, Settings
from simulators.backend.serving import UsageError, add_server_arguments, server_cert, server_options
from simulators.control import ControlError, ControlServer, announce_ready, wait_forever

REPO = Path(__file__).resolve().parents[2]
START_TIMEOUT_S = 60.0


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="kiosk-sim backend", description=__doc__.split("\n\n")[0])
    add_server_arguments(p)
    p.add_argument("--kiosk-key", type=Path, default=REPO / "var" / "kiosk.key")
    p.add_argument("--db", type=Path, default=None)
    p.add_argument("--catalogue-dir", type=Path, default=None, help="item JSON folder (default: bundled)")
    return p


def control_routes(backend: Backend) -> dict[tuple[str, str], Any]:
    def state(body: dict, query: dict) -> tuple[int, Any]:
        return 200, {"counts": backend.storage.counts(), "catalogue_version": backend.version,
                     "items": len(backend.items), "clock_offset_s": backend.settings.clock_offset_s}

    def paid(body: dict, query: dict) -> tuple[int, Any]:
        from simulators.backend.routes_payments import mark_paid, newest_pending_order

        if body.get("newest_pending") is True:
            newest = newest_pending_order(backend)
            if newest is None:
                raise ControlError("no order is waiting for payment", 404)
            body = {"order_no": newest}
        elif "order_no" not in body:
            raise ControlError('give "order_no", or "newest_pending": true')
        order_no = str(body.get("order_no", ""))
        order = mark_paid(backend, order_no)
        if order is None:
            raise ControlError(f"no such order {order_no!r}", 404)
        return 200, order

    def fill(body: dict, query: dict) -> tuple[int, Any]:
        from simulators.backend.errors import ApiError
        from simulators.backend.routes_services import fill_slot

        if not isinstance(body.get("item_id"), str):
            raise ControlError('give "item_id" (and "slot_id", else the first free slot is filled)')
        try:
            return 200, fill_slot(backend, body["item_id"], body.get("slot_id"))
        except ApiError as exc:
            raise ControlError(exc.detail, exc.status) from None

    def clock(body: dict, query: dict) -> tuple[int, Any]:
        offset = body.get("offset_s", 0)
        if isinstance(offset, bool) or not isinstance(offset, int | float):
            raise ControlError("offset_s must be a number of seconds")
        backend.settings.clock_offset_s = float(offset)
        return 200, {"clock_offset_s": backend.settings.clock_offset_s}

    def accounts(body: dict, query: dict) -> tuple[int, Any]:
        from simulators.backend.records import UTILITIES, utility_account
        from simulators.personas import load_personas

        return 200, {p.id: {u: utility_account(p, u) for u in UTILITIES} for p in load_personas().values()}

    def diagnostics(body: dict, query: dict) -> tuple[int, Any]:
        """The diagnostics bundles received (POST /api/v1/kiosk/diagnostics), newest last; with
        ?bundle_no=… also that bundle's files and their text (what an operator would open)."""
        found = backend.storage.find("diagnostics")
        wanted = query.get("bundle_no")
        if wanted is None:
            return 200, {"bundles": found}
        import io
        import zipfile

        data = backend.storage.get_blob(wanted)
        if data is None:
            raise ControlError(f"no bundle {wanted!r}", 404)
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            files = {n: z.read(n).decode("utf-8", errors="replace") for n in z.namelist()}
        return 200, {"bundle_no": wanted, "files": files}

    def reset(body: dict, query: dict) -> tuple[int, Any]:
        backend.storage.reset()
        backend.settings.clock_offset_s = 0.0
        return state(body, query)

    return {("GET", "/state"): state, ("POST", "/payments/paid"): paid, ("POST", "/appointments/fill"): fill,
            ("POST", "/clock"): clock, ("GET", "/accounts"): accounts, ("POST", "/reset"): reset,
            ("GET", "/diagnostics"): diagnostics}


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        opts = server_options(args)
    except UsageError as exc:
        print(f"kiosk-sim backend: {exc}", file=sys.stderr)
        return 2
    host, port = opts.host, opts.port
    try:
        key = load_key(args.kiosk_key)
    except KeyFileError as exc:
        print(f"kiosk-sim backend: {exc} (run `make setup`, or pass --kiosk-key)", file=sys.stderr)
        return 2
    tls: dict[str, str] = {}
    if not args.plain_http:
        cert, cert_key = server_cert(args)
        tls = {"ssl_certfile": str(cert), "ssl_keyfile": str(cert_key)}

    with tempfile.TemporaryDirectory(prefix="kiosk-backend-") as tmp:
        db = args.db if args.db is not None else Path(tmp) / "backend.sqlite3"
        app = create_app(Settings(key=key, db_path=db, catalogue_dir=args.catalogue_dir))
        backend: Backend = app.state.backend
        server = uvicorn.Server(uvicorn.Config(app, host=host, port=port, log_level="warning",
                                               access_log=False, lifespan="off", timeout_graceful_shutdown=2, **tls))
        thread = threading.Thread(target=server.run, name="uvicorn", daemon=True)
        thread.start()
        deadline = time.monotonic() + START_TIMEOUT_S
        while thread.is_alive() and not server.started and time.monotonic() < deadline:
            time.sleep(0.05)
        if not server.started:
            print("kiosk-sim backend: the HTTP server did not start", file=sys.stderr)
            return 1
        bound = server.servers[0].sockets[0].getsockname()[1]
        control = ControlServer(control_routes(backend), host=opts.control_host, port=opts.control_port).start()
        announce_ready(listen=bound, control=control.port, scheme="http" if args.plain_http else "https")
        try:
            wait_forever()
        finally:
            control.stop()
            server.should_exit = True
            thread.join(10)
            backend.storage.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
