"""Small widget helpers: every styled widget gets its look from a dynamic property (theme.qss)."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QSize, Qt
from PySide6.QtWidgets import QBoxLayout, QFrame, QLabel, QPushButton, QStackedWidget, QWidget

from kiosk.ui.i18n import tr


def label(text: str = "", role: str = "body", wrap: bool = True, parent: QWidget | None = None) -> QLabel:
    w = QLabel(text, parent)
    w.setProperty("role", role)
    w.setWordWrap(wrap)
    w.setTextFormat(Qt.TextFormat.PlainText)  # never interpret data as rich text
    return w


def button(text: str, variant: str = "", role: str = "", parent: QWidget | None = None) -> QPushButton:
    b = QPushButton(text, parent)
    if variant:
        b.setProperty("variant", variant)
    if role:
        b.setProperty("role", role)
    b.setCursor(Qt.CursorShape.PointingHandCursor)
    return b


def option_button(text: str) -> QPushButton:
    """A checkable choice. When chosen it shows ✓ as well as its colour (colour is never the only
    signal); its accessible name stays the plain text, which is what finders and voices use (rename
    one with setAccessibleName + setText)."""
    b = button(text, role="option")
    b.setCheckable(True)
    b.setAccessibleName(text)
    b.toggled.connect(lambda on: _mark(b, on))
    return b


def _mark(b: QPushButton, on: bool) -> None:
    text = b.text().removeprefix("✓ ")  # the current text: it may have been translated meanwhile
    b.setText(f"✓ {text}" if on else text)


class FitLabel(QLabel):
    """A label that shows the longest of its texts that fits its width (a title that would clip in
    portrait or 长者模式 shortens instead: 粤智助 · 政务服务自助终端 → 粤智助)."""

    def __init__(self, variants: tuple[str, ...], role: str = "", parent: QWidget | None = None) -> None:
        super().__init__(variants[0], parent)
        self.variants = variants
        if role:
            self.setProperty("role", role)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setWordWrap(False)

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt API)
        return QSize(self.fontMetrics().horizontalAdvance(tr(self.variants[-1])), super().minimumSizeHint().height())

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt API)
        return QSize(self.fontMetrics().horizontalAdvance(tr(self.variants[0])) + 8, super().sizeHint().height())

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt API)
        self._fit()
        super().resizeEvent(event)

    def changeEvent(self, event) -> None:  # noqa: N802 (Qt API): the theme changed the font
        super().changeEvent(event)
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self._fit()

    def fit(self) -> None:
        """Choose again (the language changed)."""
        self.updateGeometry()
        self._fit()

    def _fit(self) -> None:
        metrics, width = self.fontMetrics(), self.width()
        variants = [tr(v) for v in self.variants]  # in the current language (kiosk/ui/i18n.py)
        text = next((v for v in variants if metrics.horizontalAdvance(v) <= width), variants[-1])
        if text != self.text():
            self.setText(text)


def card(parent: QWidget | None = None) -> QFrame:
    f = QFrame(parent)
    f.setProperty("role", "card")
    return f


def restyle(w: QWidget) -> None:
    """Re-apply the stylesheet after a dynamic property changed."""
    w.style().unpolish(w)
    w.style().polish(w)


def mask_id_number(value: str) -> str:
    """4401**********123X: the region prefix and the last four stay readable."""
    if not value or len(value) < 8:
        return "*" * len(value or "")
    return value[:4] + "*" * (len(value) - 8) + value[-4:]


def mask_name(value: str) -> str:
    """陈*英 / 李* : enough to recognise, not enough to read aloud to a stranger."""
    if not value:
        return ""
    if len(value) <= 2:
        return value[0] + "*"
    return value[0] + "*" * (len(value) - 2) + value[-1]


class PagedScroll(QWidget):
    """A touch scroll area: drag with a finger (QScroller, kinetic), or the big 上一页 / 下一页 buttons,
    which show only when the content is longer than the screen. No thin desktop scrollbar."""

    def __init__(self, content: QWidget, parent: QWidget | None = None) -> None:
        from PySide6.QtWidgets import QHBoxLayout, QScrollArea, QScroller, QScrollerProperties

        super().__init__(parent)
        self.area = QScrollArea()
        self.area.setWidgetResizable(True)
        self.area.setWidget(content)
        self.area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.area.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        QScroller.grabGesture(self.area.viewport(), QScroller.ScrollerGestureType.LeftMouseButtonGesture)
        scroller = QScroller.scroller(self.area.viewport())
        props = scroller.scrollerProperties()
        # A tap reaches the button under the finger at once (no 0.25 s hold-back); a drag past the
        # threshold scrolls instead, and overshoot stays off (the page does not bounce).
        props.setScrollMetric(QScrollerProperties.ScrollMetric.MousePressEventDelay, 0)
        props.setScrollMetric(QScrollerProperties.ScrollMetric.DragStartDistance, 0.004)
        off = QScrollerProperties.OvershootPolicy.OvershootAlwaysOff
        props.setScrollMetric(QScrollerProperties.ScrollMetric.VerticalOvershootPolicy, off)
        props.setScrollMetric(QScrollerProperties.ScrollMetric.HorizontalOvershootPolicy, off)
        scroller.setScrollerProperties(props)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(16)
        lay.addWidget(self.area, 1)
        # In a landscape window the pair sits in a row (height is what runs short there, 长者模式's
        # targets are 96 px tall); in portrait they stack beside the content (width runs short).
        side = self.pager = QBoxLayout(QBoxLayout.Direction.TopToBottom)
        self.up = button(tr("上一页"))
        self.down = button(tr("下一页"))
        for b in (self.up, self.down):
            b.setProperty("role", "page")
            side.addWidget(b)
        side.addStretch(1)
        lay.addLayout(side)
        bar = self.area.verticalScrollBar()
        self.up.clicked.connect(lambda: bar.setValue(bar.value() - self.area.viewport().height() * 9 // 10))
        self.down.clicked.connect(lambda: bar.setValue(bar.value() + self.area.viewport().height() * 9 // 10))
        bar.rangeChanged.connect(lambda *_: self._update())
        bar.valueChanged.connect(lambda *_: self._update())
        self._update()

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt API)
        window = self.window()
        wide = window.width() > window.height()
        self.pager.setDirection(QBoxLayout.Direction.LeftToRight if wide else QBoxLayout.Direction.TopToBottom)
        super().resizeEvent(event)

    def verticalScrollBar(self):  # noqa: N802 (mirrors QScrollArea)
        return self.area.verticalScrollBar()

    def _update(self) -> None:
        bar = self.area.verticalScrollBar()
        long = bar.maximum() > 0
        self.up.setVisible(long)
        self.down.setVisible(long)
        self.up.setEnabled(bar.value() > bar.minimum())
        self.down.setEnabled(bar.value() < bar.maximum())


class PageStack(QStackedWidget):
    """A QStackedWidget sized by the page shown, not by its largest page: a stack's own minimum is the
    largest minimum of all its pages, so one tall page (the camera preview, a long form) would squeeze
    every other page of a tight screen (长者模式 in landscape) below what its text needs."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.currentChanged.connect(lambda _: self.updateGeometry())

    def sizeHint(self):  # noqa: N802 (Qt API)
        page = self.currentWidget()
        return page.sizeHint() if page is not None else super().sizeHint()

    def minimumSizeHint(self):  # noqa: N802 (Qt API)
        page = self.currentWidget()
        return page.minimumSizeHint() if page is not None else super().minimumSizeHint()


def touch_scroll(content: QWidget) -> PagedScroll:
    return PagedScroll(content)


class WrapButton(QPushButton):
    """A button whose text wraps over several lines (QPushButton alone never wraps): a record of a
    query list, a long choice. `text()` is the caption; its accessible name is given or the caption."""

    def __init__(self, text: str, role: str, text_role: str = "body", accessible: str = "",
                 parent: QWidget | None = None) -> None:
        from PySide6.QtWidgets import QVBoxLayout

        super().__init__(parent)
        self.setProperty("role", role)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setAccessibleName(accessible or text)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(24, 12, 24, 12)
        self.caption = label(text, text_role)
        self.caption.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        lay.addWidget(self.caption)
        policy = self.sizePolicy()
        policy.setHeightForWidth(True)  # as tall as the wrapped caption needs at the given width
        self.setSizePolicy(policy)

    def text(self) -> str:  # type: ignore[override]
        return self.caption.text()

    def hasHeightForWidth(self) -> bool:  # noqa: N802 (Qt API)
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802 (Qt API)
        return max(self.minimumHeight(), self.layout().totalHeightForWidth(width))

    def sizeHint(self):  # noqa: N802 (Qt API)
        return self.layout().totalSizeHint()

    def minimumSizeHint(self):  # noqa: N802 (Qt API)
        return self.layout().totalMinimumSize()
