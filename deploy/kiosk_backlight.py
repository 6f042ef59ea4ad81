#!/usr/bin/python3
"""kiosk-backlight: full brightness in service hours, dimmed outside them; never off (a kiosk that
looks dead gets unplugged). Run by kiosk-backlight.timer every 5 minutes. Standard library only.

    kiosk-backlight [--hours 07:30-20:00] [--dim 20] [--sysfs /sys/class/backlight] [--at HH:MM]

Defaults come from $SCREEN_ON_HOURS and $SCREEN_DIM_PERCENT (/etc/kiosk/kiosk.env). A screen with no
backlight device under /sys/class/backlight (an external monitor) cannot be dimmed this way: said
once, exit status 0. Hours may cross midnight (22:00-06:00).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path


def parse_hours(text: str) -> tuple[int, int]:
    """'07:30-20:00' → minutes since midnight (450, 1200)."""
    try:
        start, end = (part.strip() for part in text.split("-"))
        minutes = []
        for hhmm in (start, end):
            h, m = hhmm.split(":")
            if not (0 <= int(h) <= 24 and 0 <= int(m) < 60):
                raise ValueError
            minutes.append(int(h) * 60 + int(m))
        return minutes[0], minutes[1]
    except ValueError:
        raise SystemExit(f"kiosk-backlight: bad service hours {text!r}; expected HH:MM-HH:MM") from None


def percent_at(minute: int, hours: tuple[int, int], dim: int) -> int:
    start, end = hours
    on = start <= minute < end if start <= end else (minute >= start or minute < end)
    return 100 if on else dim


def apply(sysfs: Path, percent: int) -> list[str]:
    done = []
    for dev in sorted(sysfs.glob("*")):
        try:
            top = int((dev / "max_brightness").read_text())
        except (OSError, ValueError):
            continue
        value = max(1, round(top * percent / 100))  # 0 is "off" on many panels: never that
        (dev / "brightness").write_text(f"{value}\n")
        done.append(f"{dev.name}={value}/{top}")
    return done


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="kiosk-backlight")
    p.add_argument("--hours", default=os.environ.get("SCREEN_ON_HOURS", "07:30-20:00"))
    p.add_argument("--dim", type=int, default=int(os.environ.get("SCREEN_DIM_PERCENT", "20")))
    p.add_argument("--sysfs", default="/sys/class/backlight")
    p.add_argument("--at", help="HH:MM instead of the clock (tests)")
    args = p.parse_args(argv)
    if not 1 <= args.dim <= 100:
        raise SystemExit(f"kiosk-backlight: --dim {args.dim}: expected 1..100 (percent; 0 would blank)")
    hours = parse_hours(args.hours)
    if args.at:
        h, m = args.at.split(":")
        minute = int(h) * 60 + int(m)
    else:
        now = time.localtime()
        minute = now.tm_hour * 60 + now.tm_min
    percent = percent_at(minute, hours, args.dim)
    done = apply(Path(args.sysfs), percent)
    if not done:
        print(f"kiosk-backlight: no backlight device under {args.sysfs}; brightness left as it is")
        return 0
    print(f"kiosk-backlight: {percent}% ({', '.join(done)})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
