"""A4 certificates on this machine: render time and PDF size per print item, and the time from
print_pdf() to CUPS reporting the job completed through the private cupsd and the virtual printer.

    .venv/bin/python bench/bench_a4_certificate.py [--persona li_jianguo] [--jobs 5]

Targets: a certificate renders in under 1 s; a one-page job completes through CUPS in under 3 s on
loopback (a real laser printer adds its own warm-up and page time). Where CUPS cannot run the
second part is skipped with the reason.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from kiosk.devices.doc_printer import DocPrinter  # noqa: E402
from kiosk.services.a4_documents import certificate_document, render_pdf  # noqa: E402
from kiosk.services.session import Identity  # noqa: E402
from simulators.personas import get_persona  # noqa: E402
from simulators.process import start_simulator  # noqa: E402
from tests.fixtures.certificates import PRINT_ITEMS, backend_document  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--persona", default="li_jianguo")
    ap.add_argument("--jobs", type=int, default=5)
    args = ap.parse_args()
    p = get_persona(args.persona)
    identity = Identity("idcard", p.name, p.id_number)
    pdfs = {}
    print(f"render (persona {args.persona}):")
    for item in PRINT_ITEMS:
        doc = backend_document(item, args.persona)
        t = time.perf_counter()
        pdf = render_pdf(certificate_document(doc, kiosk_id="BENCH", printed_at=datetime.now(), identity=identity))
        ms = (time.perf_counter() - t) * 1000
        pdfs[item["id"]] = pdf
        print(f"  {item['id']:40s} {ms:7.0f} ms  {len(pdf) / 1024:6.1f} KiB  {pdf.count(b'/Type /Page') - pdf.count(b'/Type /Pages')} page(s)")
    sim = start_simulator("docprinter", "--no-png")
    try:
        reason = sim.ports.get("cups_unavailable")
        if reason:
            print(f"CUPS: skipped ({reason})")
            return 0
        printer = DocPrinter("docprinter", sim.ports["url"], job_poll_s=0.1)
        printer.open()
        one_page = min(pdfs.values(), key=len)
        times = []
        for _ in range(args.jobs):
            t = time.perf_counter()
            printer.print_pdf(one_page).wait()
            times.append(time.perf_counter() - t)
        printer.close()
        print(f"CUPS job, one page, {args.jobs} jobs: median {statistics.median(times):.2f} s, "
              f"max {max(times):.2f} s (poll 0.1 s)")
    finally:
        sim.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
