"""PagedScroll (kiosk/ui/widgets.py): a quick tap on a button inside the touch-scrolled content
reaches the button. With Qt's default scroller press delay (0.25 s) a quick tap on a button that
sits in a card (a frame with its own layout) inside the content is lost; this test fails then."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QVBoxLayout, QWidget

from kiosk.ui import find
from kiosk.ui.widgets import button, card, label, touch_scroll


def test_a_quick_tap_on_a_button_in_a_card_inside_a_long_page_clicks_it(qtbot) -> None:
    content = QWidget()
    lay = QVBoxLayout(content)
    scroll = touch_scroll(content)
    qtbot.addWidget(scroll)
    scroll.resize(1600, 400)
    scroll.show()
    qtbot.waitExposed(scroll)
    clicked: list[int] = []
    for n in range(12):  # far taller than the viewport: the scroller is active
        box = card()
        row = QHBoxLayout(box)
        row.addWidget(label(f"目录 /media/usb{n}", "body"), 1)
        b = button("导出", "primary")
        b.setAccessibleName(f"导出到 {n}")
        b.clicked.connect(lambda _=False, n=n: clicked.append(n))
        row.addWidget(b)
        lay.addWidget(box)
    qtbot.waitUntil(scroll.down.isVisible, timeout=5000)  # the content is longer than the viewport
    find.tap_text(scroll, "导出到 1")
    find.tap_text(scroll, "导出到 9")  # scrolled into view first, as a finger would
    assert clicked == [1, 9]
