"""PagedScroll (kiosk/ui/widgets.py): a quick tap on a button inside the touch-scrolled content
reaches the button (Qt's scroller would otherwise hold the press for 0.25 s and lose a quick tap)."""

from __future__ import annotations

from PySide6.QtWidgets import QPushButton, QVBoxLayout, QWidget

from kiosk.ui import find
from kiosk.ui.widgets import touch_scroll


def test_a_quick_tap_on_a_button_inside_a_long_page_clicks_it(qtbot) -> None:
    content = QWidget()
    lay = QVBoxLayout(content)
    clicked: list[str] = []
    for n in range(30):  # far taller than the viewport: the scroller is active
        b = QPushButton(f"按钮 {n}")
        b.setMinimumHeight(80)
        b.clicked.connect(lambda _=False, n=n: clicked.append(n))
        lay.addWidget(b)
    scroll = touch_scroll(content)
    qtbot.addWidget(scroll)
    scroll.resize(600, 400)
    scroll.show()
    qtbot.waitExposed(scroll)
    assert scroll.down.isVisible()
    find.tap_text(scroll, "按钮 1")
    find.tap_text(scroll, "按钮 20")  # scrolled into view first, as a finger would
    assert clicked == [1, 20]
