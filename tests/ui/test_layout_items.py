"""Screens that refill a layout free the items they take out of it (kiosk/ui/layout_items.py).

PySide6 does not own what `QLayout.takeAt()` returns, so an item taken and dropped stayed allocated
for good: a `QWidgetItem` per widget, a `QSpacerItem` per stretch, a whole `QLayout` per sub-layout
(issue 27's soak growth). `shiboken6.isValid` is False once the C++ object is deleted."""

from __future__ import annotations

import re
from pathlib import Path

import shiboken6
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

from kiosk.ui.layout_items import take_items

KIOSK = Path(__file__).resolve().parents[2] / "kiosk"


def test_take_items_frees_widget_items_spacers_and_sub_layouts(qapp) -> None:
    host = QWidget()
    lay = QVBoxLayout(host)
    labels = [QLabel("a"), QLabel("b")]
    lay.addWidget(labels[0])
    lay.addStretch(1)
    sub = QHBoxLayout()
    lay.addLayout(sub)
    sub.addWidget(labels[1])
    taken = []
    for item in take_items(lay):
        taken.append(item)
        if item.layout() is not None:
            taken += list(take_items(item.layout()))
    assert len(taken) == 4 and lay.count() == 0
    assert not any(shiboken6.isValid(i) for i in taken)
    assert all(shiboken6.isValid(w) for w in labels)  # the widgets are the caller's to delete


def test_no_screen_takes_or_reads_layout_items_itself() -> None:
    """takeAt outside take_items leaks the item; itemAt / itemAtPosition leave a wrapper that goes
    stale when Qt deletes the item (the segfault kiosk/ui/field_rows.py describes)."""
    calls = re.compile(r"\.(takeAt|itemAt|itemAtPosition)\(")
    found = [f"{p.relative_to(KIOSK.parent)}:{n}" for p in sorted(KIOSK.rglob("*.py")) if p.name != "layout_items.py"
             for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1) if calls.search(line)]
    assert found == []
