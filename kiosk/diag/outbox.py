"""`kiosk-diag outbox [--config FILE] [--db FILE] [--json] [--purge-refused] [--requeue-quarantined]`:
the outbox of writes waiting for the platform.

Reports how many entries wait (by kind), the age of the oldest, how many the platform refused
(kept as failed), the quarantined entries (their sealed payload does not open: damaged, or sealed
under another kiosk key; kept, never sent), the last error and the last delivery, and what happened
to the file (moved aside when damaged, missing or emptied although an outbox existed, entries
salvaged: the state file beside it). Payloads are sealed and never read here, so the report holds no
personal data; it needs no key. `--purge-refused` deletes the refused entries once the technician has
dealt with them (they are sealed, and never retried); `--requeue-quarantined` puts the quarantined
entries back to be sent (after the right key file is back; any that still do not open return to
quarantine).

Exit status: 0 ok; 1 degraded (refused or quarantined entries kept, an outbox missing or emptied, or a
backlog: 20 or more waiting, or the oldest waiting 15 minutes); 2 bad usage or config; 3 the outbox
cannot be read (the kiosk moves a damaged one aside at its next start).
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import sys
from datetime import datetime
from pathlib import Path
from typing import Any

from kiosk.diag import exit_codes
from kiosk.services import sqlite_files
from kiosk.services.health import outbox_part
from kiosk.services.outbox import purge_refused, requeue_quarantined, stats_at


def _age(seconds: float | None) -> str:
    if seconds is None:
        return "-"
    s = int(seconds)
    if s < 60:
        return f"{s} s"
    if s < 3600:
        return f"{s // 60} min {s % 60} s"
    if s < 86400:
        return f"{s // 3600} h {s % 3600 // 60} min"
    return f"{s // 86400} d {s % 86400 // 3600} h"


def _when(epoch: float | None) -> str:
    return "-" if epoch is None else datetime.fromtimestamp(epoch).isoformat(sep=" ", timespec="seconds")


def outbox_path(args: argparse.Namespace) -> Path:
    if args.db is not None:
        return args.db
    from kiosk.config import load_config

    cfg = load_config(args.config)
    if cfg.backend.outbox_db is None:
        raise ValueError(f"{cfg.source}: backend.outbox_db is not set")
    return cfg.backend.outbox_db


def text(r: dict[str, Any]) -> str:
    kinds = ", ".join(f"{k} {n}" for k, n in sorted(r["by_kind"].items()))
    state = "" if r["exists"] else (" (MISSING or emptied: an outbox existed here; the kiosk reports it and "
                                    "starts a new one)" if r["missing"] else " (not created yet)")
    lines = [f"outbox {r['db']}{state}",
             f"  waiting:        {r['depth']}" + (f" ({kinds})" if kinds else ""),
             f"  oldest waiting: {_age(r['oldest_age_s'])}",
             f"  refused:        {r['failed']}" + ("  ← kept for the technician, not retried" if r["failed"] else ""),
             f"  delivered:      {r['delivered_total']} (last {_when(r['last_success_at'])})",
             f"  last error:     {r['last_error'] or '-'}" + (f" ({_when(r['last_error_at'])})"
                                                             if r["last_error_at"] else "")]
    if r["acked_not_removed"]:
        lines.append(f"  acknowledged, not yet removed: {r['acked_not_removed']} (finished at the next start)")
    lines.append(f"  quarantined:    {r['quarantined']}" + ("  ← kept sealed, never sent; see below"
                                                           if r["quarantined"] else ""))
    for q in r["quarantine"]:
        lines.append(f"    entry {q['id']} {q['kind']} {q['path']} made {_when(q['created_at'])}: {q['reason']}")
    if r["events"]:
        lines.append("  storage events:")
        lines += [f"    {sqlite_files.StorageEvent.from_dict(e).line()}" for e in r["events"][-10:]]
    if r["moved_aside"]:
        lines.append("  damaged files kept: " + ", ".join(Path(p).name for p in r["moved_aside"]))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="kiosk-diag outbox", description="the outbox of writes waiting for the platform",
                                 epilog=exit_codes.HELP)
    ap.add_argument("--config", help="kiosk config (default config/kiosk.toml or $KIOSK_CONFIG)")
    ap.add_argument("--db", type=Path, help="the outbox database (default: backend.outbox_db of the config)")
    ap.add_argument("--json", action="store_true", help="print one JSON object")
    ap.add_argument("--purge-refused", action="store_true",
                    help="delete the entries the platform refused, then report")
    ap.add_argument("--requeue-quarantined", action="store_true",
                    help="send the quarantined entries after all (the right kiosk key is back), then report")
    try:
        args = ap.parse_args(argv)
    except SystemExit as exc:
        return int(exc.code or 0)
    try:
        path = outbox_path(args)
    except Exception as exc:  # ConfigError, ValueError
        print(f"kiosk-diag outbox: {exc}", file=sys.stderr)
        return exit_codes.USAGE
    try:
        if args.purge_refused and path.exists():
            db = sqlite3.connect(str(path), timeout=10)
            try:
                purged = purge_refused(db)
            finally:
                db.close()
            print(f"kiosk-diag outbox: deleted {purged} refused entr{'y' if purged == 1 else 'ies'}",
                  file=sys.stderr)
        if args.requeue_quarantined and path.exists():
            db = sqlite3.connect(str(path), timeout=10, isolation_level=None)
            try:
                again = requeue_quarantined(db)
            finally:
                db.close()
            print(f"kiosk-diag outbox: {again} quarantined entr{'y' if again == 1 else 'ies'} back in the queue",
                  file=sys.stderr)
        r = stats_at(path)
    except sqlite3.Error as exc:
        if args.json:
            print(json.dumps({"db": str(path), "error": f"cannot read the outbox: {exc}"}))
        print(f"kiosk-diag outbox: cannot read {path}: {exc} (the kiosk moves a damaged outbox aside at "
              "its next start and salvages what it can)", file=sys.stderr)
        return exit_codes.OFFLINE
    print(json.dumps(r, ensure_ascii=False) if args.json else text(r))
    return exit_codes.for_verdict(outbox_part(r).verdict)


if __name__ == "__main__":
    sys.exit(main())
