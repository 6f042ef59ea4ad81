"""Where the technician can export the diagnostics bundle: mounted removable media (a USB stick)
and the configured directory `technician.export_dir`.

Typing a path on the kiosk's letter keypad is clumsy, so the screen offers these as buttons. A USB
stick is found as a mount point up to two levels below /media or /run/media (udisks mounts at
/run/media/USER/LABEL or /media/USER/LABEL, usbmount and fstab entries at /media/usb0). The
configured directory is offered only when it exists: an unmounted stick's empty mount point must
not silently receive the bundle on the kiosk's own disk, so point it at a mount point or a
directory made on purpose. Qt-free; reads the file system (call it off the GUI thread).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

MEDIA_ROOTS = (Path("/media"), Path("/run/media"))


@dataclass(frozen=True)
class Target:
    path: Path
    kind: str  # "usb" (a mounted removable medium) or "config" (technician.export_dir)
    writable: bool

    @property
    def label(self) -> str:
        return f"{'U 盘' if self.kind == 'usb' else '配置目录'} {self.path}"


def _children(path: Path) -> list[Path]:
    try:
        return sorted(p for p in path.iterdir() if p.is_dir())
    except OSError:
        return []


def removable_media(roots: tuple[Path, ...] = MEDIA_ROOTS,
                    is_mount: Callable[[Path], bool] = os.path.ismount) -> list[Path]:
    found: list[Path] = []
    for root in roots:
        for child in _children(root):
            if is_mount(child):
                found.append(child)
                continue
            found += [grand for grand in _children(child) if is_mount(grand)]  # /media/USER/LABEL
    return found


def export_targets(configured: Path | None, roots: tuple[Path, ...] = MEDIA_ROOTS,
                   is_mount: Callable[[Path], bool] = os.path.ismount) -> list[Target]:
    targets = [Target(p, "usb", os.access(p, os.W_OK)) for p in removable_media(roots, is_mount)]
    if configured is not None and Path(configured).is_dir() \
            and all(t.path != Path(configured) for t in targets):
        targets.append(Target(Path(configured), "config", os.access(configured, os.W_OK)))
    return targets
