"""Emptying a layout: one loop for every screen that refills one per resident.

`QLayout.takeAt()` hands the item back to the caller, who must delete it (in C++: `delete item`).
PySide6 does not take ownership of a taken `QWidgetItem` or `QSpacerItem`, so dropping the Python
reference frees nothing; a taken sub-layout is owned by Python and goes with its wrapper. Screens
that refill a layout per resident (guide, document, confirm, query, …) leak ~140 items a session
this way, ~8 KiB of native heap (heaptrack; docs/performance.md "Soak growth", issue 27).

Every clearing loop goes through `take_items`, so the fix lands in one place once it is safe:

    for item in take_items(layout):
        w = item.widget()
        ...  # hide / blank / deleteLater the widget, or empty item.layout()

The items are not deleted yet: see the comment in `take_items`.
"""

from __future__ import annotations

from collections.abc import Iterator

from PySide6.QtWidgets import QLayout, QLayoutItem


def take_items(layout: QLayout) -> Iterator[QLayoutItem]:
    """Take every item out of `layout`, first to last (its widget, if any, is not touched here: the
    caller hides or deletes it)."""
    while layout.count():
        item = layout.takeAt(0)
        if item is None:  # count() said there was one; do not spin if Qt disagrees
            return
        yield item
        # Not deleted (yet): shiboken6.delete(item) here corrupted PySide6's wrapper map in the full
        # suite (a later QPushButton.style() came back as a QWidgetItem; CI run of 50343b5), so the
        # items still leak as before until that is understood (issue 27).
