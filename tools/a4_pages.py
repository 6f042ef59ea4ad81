"""Screenshots of the A4 certificates as the printer got them: every print item of the catalogue is
rendered, printed through real CUPS to the virtual A4 printer (`kiosk-sim docprinter`), and the
captured PDF's pages (pdftoppm, 150 dpi) are copied to OUT_DIR/<item>-<page>.png.

    python tools/a4_pages.py OUT_DIR [PERSONA]        (default persona li_jianguo: long tables)

Where CUPS cannot run it says why and renders the PDFs directly instead.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from datetime import date, datetime
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from kiosk.devices.doc_printer import DocPrinter  # noqa: E402
from kiosk.services.a4_documents import certificate_document, print_a4_certificate, render_pdf  # noqa: E402
from kiosk.services.session import Identity  # noqa: E402
from simulators.backend.catalogue import load_items  # noqa: E402
from simulators.backend.documents import certificate_content  # noqa: E402
from simulators.backend.errors import ApiError  # noqa: E402
from simulators.backend.form_examples import PRINT_CASES  # noqa: E402
from simulators.personas import get_persona  # noqa: E402
from simulators.process import start_simulator  # noqa: E402

KIOSK_ID = "GD-SG-ZJ-0001"


def document(item: dict, persona_id: str, n: int) -> tuple[dict, str]:
    """What POST /api/v1/certificates returns (ServiceDesk.issue_certificate), built offline here,
    and whose it is: `persona_id`'s, or the item's example persona's when the platform has no
    record of that kind for `persona_id` (a 体检报告 needs someone over 65)."""
    example_persona, _, fields, _ = PRINT_CASES[item["id"]]  # a filled form the platform can answer
    try:
        content = certificate_content(item, get_persona(persona_id), fields, date.today())
    except ApiError:
        persona_id = example_persona
        content = certificate_content(item, get_persona(persona_id), fields, date.today())
    block = item.get("document") or {}
    code = f"SHOT-{n:04d}-A4A4"
    return {"certificate_no": f"ZM{date.today():%Y%m%d}{n:06d}", "verification_code": code, "item_id": item["id"],
            "title": block.get("title", item["result"]["name"]), "seal": block.get("seal"),
            "issued_at": datetime.now().astimezone().isoformat(), "valid_until": None,
            "lines": content["lines"], "table": content["table"],
            "qr": f"https://127.0.0.1:8443/verify?code={code}", "notice": "本证明由参考后台模拟生成，仅用于测试。"}, persona_id


def main(argv: list[str]) -> int:
    if not argv:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    out = Path(argv[0])
    persona = argv[1] if len(argv) > 1 else "li_jianguo"
    out.mkdir(parents=True, exist_ok=True)
    items = [i for i in load_items() if i["flow"] == "print"]
    captured = out / "captured"
    sim = start_simulator("docprinter", "--out", str(captured))
    try:
        reason = sim.ports.get("cups_unavailable")
        printer = None if reason else DocPrinter("docprinter", sim.ports["url"], command_timeout=120)
        if printer is None:
            print(f"a4_pages: CUPS unavailable ({reason}); rendering the PDFs directly", file=sys.stderr)
        else:
            printer.open()
        for n, item in enumerate(items, 1):
            doc, holder = document(item, persona, n)
            p = get_persona(holder)
            identity = Identity("idcard", p.name, p.id_number)
            if printer is not None:
                print_a4_certificate(printer, doc, kiosk_id=KIOSK_ID, printed_at=datetime.now(), identity=identity)
                pngs = [Path(p) for p in sim.control("GET", "/documents/last")[1]["png"]]
            else:
                pdf = out / f"{item['id']}.pdf"
                pdf.write_bytes(render_pdf(certificate_document(doc, kiosk_id=KIOSK_ID, printed_at=datetime.now(),
                                                                identity=identity)))
                subprocess.run(["pdftoppm", "-png", "-r", "150", str(pdf), str(out / item["id"])], check=True)
                pngs = []
            for page, png in enumerate(pngs, 1):
                shutil.copy(png, out / f"{item['id']}-{page}.png")
            print(f"{item['id']}: {len(pngs) or 'rendered'} page(s)")
        if printer is not None:
            printer.close()
    finally:
        sim.stop()
    shutil.rmtree(captured, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
