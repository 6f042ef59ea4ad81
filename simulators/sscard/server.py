"""`kiosk-sim sscard`: a 社保卡 emulator for pcscd's vsmartcard-vpcd virtual reader.

    kiosk-sim sscard [--vpcd HOST:PORT] [--control HOST:PORT] [--insert PERSONA] [--no-start-pcscd]

The emulator is a vpcd *client*: it connects to 127.0.0.1:35963 (reader "Virtual PCD 00 00") when a
card is inserted. `--listen` is accepted like every simulator but unused (the vpcd port is fixed).
Makes sure pcscd runs first (reuses a running one, else starts `pcscd --foreground` and stops it on
exit). Control routes: docs/simulators.md ("sscard").
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from simulators.control import ControlError, ControlServer, announce_ready, parse_listen, wait_forever
from simulators.personas import get_persona, load_personas
from simulators.sscard.card import FAULT_KINDS, SW_STEPS, EmulatedCard, Fault
from simulators.sscard.pcscd import VPCD_PORT, Pcscd, PcscdError
from simulators.sscard.vpcd_link import VpcdLink

INSERT_WAIT_S = 5.0


def card_for(persona_id: Any, padding: Any = "space") -> EmulatedCard:
    if not isinstance(persona_id, str):
        raise ControlError('body needs "persona": a persona id')
    try:
        persona = get_persona(persona_id)
    except KeyError as exc:
        raise ControlError(str(exc.args[0]), 404) from exc
    if persona.sscard is None:
        with_card = ", ".join(p.id for p in load_personas().values() if p.sscard)
        raise ControlError(f"persona {persona_id!r} has no social security card; personas with one: "
                           f"{with_card}", 409)
    if padding not in ("space", "nul"):
        raise ControlError('"padding" must be "space" or "nul"')
    return EmulatedCard(persona, padding)


def parse_fault(body: dict[str, Any]) -> Fault:
    kind = body.get("kind")
    if kind not in FAULT_KINDS:
        raise ControlError(f'"kind" must be one of {", ".join(FAULT_KINDS)}')
    fault = Fault(kind=kind)
    try:
        if kind == "sw":
            sw = int(str(body.get("sw", "6F00")), 16)
            if not 0x6000 <= sw <= 0x6FFF or (sw >> 8) in (0x61, 0x6C):
                raise ControlError('"sw" must be an error status word 6000-6FFF other than 61xx/6Cxx')
            on = body.get("on", "read_ef06")
            if on not in SW_STEPS:
                raise ControlError(f'"on" must be one of {", ".join(SW_STEPS)}')
            fault.sw, fault.on = sw, on
        elif kind == "remove_mid_read":
            fault.after = int(body.get("after", 3))
        elif kind == "need_get_response":
            fault.chunk = int(body.get("chunk", 0))
    except ValueError as exc:
        raise ControlError(f"bad fault parameter: {exc}") from exc
    if fault.after < 0 or not 0 <= fault.chunk <= 255:
        raise ControlError('"after" must be >= 0 and "chunk" 0-255')
    return fault


def make_routes(link: VpcdLink) -> dict[tuple[str, str], Any]:
    def insert(body: dict, query: dict) -> tuple[int, Any]:
        card = card_for(body.get("persona"), body.get("padding", "space"))
        seen = link.insert(card, float(body.get("wait", INSERT_WAIT_S)))
        return 200, {"inserted": True, "seen_by_vpcd": seen, **link.state()}

    def remove(body: dict, query: dict) -> tuple[int, Any]:
        return 200, {"removed": link.remove(), **link.state()}

    def fault(body: dict, query: dict) -> tuple[int, Any]:
        link.set_fault(parse_fault(body))
        return 200, link.state()

    def state(body: dict, query: dict) -> tuple[int, Any]:
        return 200, link.state()

    def unplug(body: dict, query: dict) -> tuple[int, Any]:
        link.unplug()
        return 200, link.state()

    def replug(body: dict, query: dict) -> tuple[int, Any]:
        link.replug()
        return 200, link.state()

    def reset(body: dict, query: dict) -> tuple[int, Any]:
        link.reset()
        return 200, link.state()

    return {
        ("POST", "/insert"): insert,
        ("POST", "/remove"): remove,
        ("POST", "/fault"): fault,
        ("GET", "/state"): state,
        ("POST", "/unplug"): unplug,
        ("POST", "/replug"): replug,
        ("POST", "/reset"): reset,
        ("GET", "/traffic"): link.wire.handler,
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="kiosk-sim sscard", description=__doc__.splitlines()[0])
    ap.add_argument("--listen", default="127.0.0.1:0", help="accepted for uniformity; unused")
    ap.add_argument("--control", default="127.0.0.1:0", help="HOST:PORT of the JSON control API")
    ap.add_argument("--vpcd", default=f"127.0.0.1:{VPCD_PORT}", help="vpcd's card port (default %(default)s)")
    ap.add_argument("--insert", metavar="PERSONA", help="start with this persona's card inserted")
    ap.add_argument("--no-start-pcscd", action="store_true",
                    help="never start pcscd; just connect to vpcd when a card is inserted")
    args = ap.parse_args(argv)
    try:
        vpcd_host, vpcd_port = parse_listen(args.vpcd)
        control_host, control_port = parse_listen(args.control)
        parse_listen(args.listen)
    except ValueError as exc:
        ap.error(str(exc))
    pcscd = Pcscd()
    if not args.no_start_pcscd:
        try:
            pcscd.ensure(vpcd_port)
        except PcscdError as exc:
            print(f"kiosk-sim sscard: {exc}", file=sys.stderr)
            return 1
    link = VpcdLink(vpcd_host, vpcd_port).start()
    control = ControlServer(make_routes(link), host=control_host, port=control_port).start()
    try:
        if args.insert:
            try:
                link.insert(card_for(args.insert), INSERT_WAIT_S)
            except ControlError as exc:
                print(f"kiosk-sim sscard: --insert: {exc}", file=sys.stderr)
                return 2
        announce_ready(listen=vpcd_port, control=control.port, vpcd=f"{vpcd_host}:{vpcd_port}",
                       pcscd_started=pcscd.started)
        wait_forever()
    finally:
        control.stop()
        link.stop()
        pcscd.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
