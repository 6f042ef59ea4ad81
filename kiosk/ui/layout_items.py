"""Emptying a layout without leaking its items.

`QLayout.takeAt()` hands the item back to the caller, who must delete it (in C++: `delete item`).
PySide6 does not take ownership of what `takeAt` returns, so dropping the Python reference frees
nothing: each widget's `QWidgetItem`, each stretch's `QSpacerItem` and each emptied sub-layout (a
whole `QLayout`, unparented by `takeAt`) stayed allocated for good, even after the widget itself
was deleted. Screens that refill a layout per resident (guide, document, confirm, query, …) lost
~140 items a session this way: ~8 KiB of native heap a session in the mixed soak, most of what was
left of issue 27's growth (found with heaptrack; docs/performance.md "Soak growth").

Every clearing loop goes through `take_items`:

    for item in take_items(layout):
        w = item.widget()
        ...  # hide / blank / deleteLater the widget, or empty item.layout()

The item is deleted once the loop body has handled it.
"""

from __future__ import annotations

from collections.abc import Iterator

from PySide6.QtWidgets import QLayout, QLayoutItem


def take_items(layout: QLayout) -> Iterator[QLayoutItem]:
    """Take every item out of `layout`, first to last; each is freed after the caller's loop body
    has seen it (its widget, if any, is not touched here: the caller hides or deletes it)."""
    while layout.count():
        item = layout.takeAt(0)
        if item is None:  # count() said there was one; do not spin if Qt disagrees
            return
        yield item
        # Not deleted (yet): shiboken6.delete(item) here corrupted PySide6's wrapper map in the full
        # suite (a later QPushButton.style() came back as a QWidgetItem; CI run of 50343b5), so the
        # items still leak as before until that is understood (issue 27).
