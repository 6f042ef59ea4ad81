"""Screens that refill a layout free the items they take out of it (kiosk/ui/layout_items.py).

PySide6 does not own what `QLayout.takeAt()` returns, so an item taken and dropped stayed allocated
for good: a `QWidgetItem` per widget, a `QSpacerItem` per stretch, a whole `QLayout` per sub-layout.
~140 a session made most of the mixed soak's native growth (issue 27). No timing here: each item
taken is recorded, and afterwards its C++ object must be gone (`shiboken6.isValid` is False once it
is deleted)."""

from __future__ import annotations

import shiboken6
from PySide6.QtWidgets import QBoxLayout, QGridLayout, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from kiosk.ui.layout_items import take_items
from simulators.backend.form_examples import PRINT_CASES
from tests.ui.fake_desk import BY_ID
from tests.ui.journeys import enter_at, finish_to_home, screen, tap


def test_take_items_frees_widget_items_spacers_and_sub_layouts(qapp) -> None:
    host = QWidget()
    lay = QVBoxLayout(host)
    labels = [QLabel("a"), QLabel("b")]
    lay.addWidget(labels[0])
    lay.addStretch(1)
    sub = QHBoxLayout()
    sub.addWidget(labels[1])
    lay.addLayout(sub)
    taken = []
    for item in take_items(lay):
        taken.append(item)
        if item.layout() is not None:
            taken += list(take_items(item.layout()))
    assert len(taken) == 4 and lay.count() == 0
    assert not any(shiboken6.isValid(i) for i in taken)
    assert all(shiboken6.isValid(w) for w in labels)  # the widgets are the caller's to delete


def test_a_print_journey_and_home_free_every_layout_item_they_take(ui, qtbot, monkeypatch) -> None:
    taken: list[object] = []
    for cls in (QBoxLayout, QGridLayout):  # the layouts whose takeAt the screens call
        original = cls.takeAt

        def recording(self, index, _original=original):
            item = _original(self, index)
            taken.append(item)
            return item

        monkeypatch.setattr(cls, "takeAt", recording)
    item_id = next(i for i in PRINT_CASES if i in BY_ID)
    persona, _, fields, _ = PRINT_CASES[item_id]
    for _ in range(3):  # guide, document and home each refill their layouts per resident
        ui.runner.start_item(BY_ID[item_id])
        screen(ui, qtbot, ui.runner.plan.kinds[0])
        enter_at(ui, monkeypatch, BY_ID[item_id], "document", persona, fields)
        document = ui.runner.steps["document"]
        qtbot.waitUntil(lambda d=document: d.print.isEnabled(), timeout=10_000)
        tap(ui, "打印证明")
        finish_to_home(ui, qtbot)
    assert len(taken) > 30  # the journeys did refill layouts
    alive = [type(i).__name__ for i in taken if shiboken6.isValid(i)]
    assert alive == [], f"{len(alive)} of {len(taken)} taken layout items never freed: {sorted(set(alive))}"
