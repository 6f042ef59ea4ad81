"""Emptying a layout without leaking its items: one loop for every screen that refills one per resident.

`QLayout.takeAt()` hands the item back to the caller, who must delete it (in C++: `delete item`).
PySide6 does not take ownership of a taken `QWidgetItem` or `QSpacerItem`, so dropping the Python
reference frees nothing. Screens that refill a layout per resident (guide, document, confirm,
query, …) leaked ~140 items a session this way, ~8 KiB of native heap (heaptrack;
docs/performance.md "Soak growth", issue 27). Every clearing loop goes through `take_items`:

    for item in take_items(layout):
        w = item.widget()
        ...  # hide / blank / deleteLater the widget, or empty item.layout()

The item is deleted once the loop body has handled it. Never call `takeAt` (or `itemAt`) anywhere
else: PySide keeps the wrapper of an item it has handed out, and when Qt deletes that item on its
own the wrapper is left registered at a freed address (kiosk/ui/field_rows.py says what that did).
"""

from __future__ import annotations

from collections.abc import Iterator

import shiboken6
from PySide6.QtWidgets import QLayout, QLayoutItem


def take_items(layout: QLayout) -> Iterator[QLayoutItem]:
    """Take every item out of `layout`, first to last; each is freed after the caller's loop body
    has seen it (its widget, if any, is not touched here: the caller hides or deletes it). A taken
    sub-layout is freed too, so the body empties it first (its widgets are the caller's)."""
    while layout.count():
        item = layout.takeAt(0)
        if item is None:  # count() said there was one; do not spin if Qt disagrees
            return
        yield item
        if shiboken6.isValid(item):
            shiboken6.delete(item)  # the C++ item, and its wrapper leaves shiboken's map with it
