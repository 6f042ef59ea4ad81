"""智能导办 on the home screen: type pinyin initials (or full pinyin) on the keypad's letter layout,
see the matching items at once, tap one to open its guide.

The index (kiosk/services/search.py) is built off the GUI thread when the catalogue arrives; until it
is there the panel says so. Results are a fixed pool of big rows, refilled on every key (no widgets
made per keystroke). 汉字 typed on a keyboard (the Qt Virtual Keyboard comes with the apply step)
land in the same field and search the same way.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QGridLayout, QLineEdit, QPushButton, QVBoxLayout, QWidget

from kiosk.ui.i18n import item_text, tr
from kiosk.ui.keypad import Keypad
from kiosk.ui.widgets import PagedScroll, button, label

RESULTS = 40  # rows kept; more matches say "继续输入可缩小范围"
EXAMPLES = tr("例如：ylrz 养老认证 · sbjf 社保缴费 · hjzm 户籍证明 · gjj 公积金")
HOW = {"alias": tr("又称"), "keyword": tr("相关")}


class ResultRow(QPushButton):
    """One search result: the item's name, and the alias or keyword it was found by."""

    def __init__(self) -> None:
        super().__init__()
        self.setProperty("role", "result")
        lay = QVBoxLayout(self)
        lay.setContentsMargins(24, 8, 24, 8)
        lay.setSpacing(2)
        self.name = label("", "resultName")
        self.why = label("", "hint")
        for w in (self.name, self.why):
            w.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
            lay.addWidget(w)
        self.item: dict[str, Any] | None = None
        self.setAccessibleName(tr("搜索结果"))

    def show_item(self, item: dict[str, Any], why: str) -> None:
        self.item = item
        self.name.setText(item_text(item, "name"))
        self.setAccessibleName(item_text(item, "name"))
        self.why.setText(why)
        self.why.setVisible(bool(why))
        self.show()

    def text(self) -> str:  # type: ignore[override]
        return self.name.text()


class SearchPanel(QWidget):
    item_chosen = Signal(dict)
    closed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("screen")
        self.index: Any = None
        self.common: list[dict[str, Any]] = []  # shown before anything is typed
        self.portrait = False
        self.elderly = False

        self.query = QLineEdit()
        self.query.setProperty("role", "answer")
        self.query.setAccessibleName(tr("搜索内容"))
        self.query.setPlaceholderText(tr("请输入拼音首字母"))
        self.query.textChanged.connect(self.refresh)
        self.status = label("", "subtitle")
        self.examples = label(EXAMPLES, "hint")
        self.keypad = Keypad("letters")
        self.keypad.setObjectName("searchKeypad")
        self.keypad.attach(self.query)
        self.back = button(tr("返回首页"))
        self.back.setAccessibleName(tr("返回首页"))
        self.back.clicked.connect(self.closed.emit)

        self.list_host = QWidget()
        self.list_host.setObjectName("screen")
        rows = QVBoxLayout(self.list_host)
        rows.setContentsMargins(0, 0, 0, 0)
        rows.setSpacing(12)
        self.rows = [ResultRow() for _ in range(RESULTS)]
        for row in self.rows:
            row.clicked.connect(lambda _=False, r=row: r.item is not None and self.item_chosen.emit(r.item))
            row.hide()
            rows.addWidget(row)
        rows.addStretch(1)
        self.scroll = PagedScroll(self.list_host)

        self.grid = QGridLayout(self)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setHorizontalSpacing(32)
        self.grid.setVerticalSpacing(16)
        self._arrange()
        self.refresh()

    # ---- layout: results beside the keypad (landscape) or above it (portrait) -----------------
    def set_shape(self, portrait: bool, elderly: bool) -> None:
        if (portrait, elderly) == (self.portrait, self.elderly):
            return
        self.portrait, self.elderly = portrait, elderly
        self.keypad.set_layout("abc" if elderly else "letters")  # 7 big columns fit a portrait screen
        self._arrange()

    def _arrange(self) -> None:
        for w in (self.back, self.query, self.status, self.examples, self.scroll, self.keypad):
            self.grid.removeWidget(w)
        for c in range(2):
            self.grid.setColumnStretch(c, 0)
        for r in range(6):
            self.grid.setRowStretch(r, 0)
        if self.portrait:
            self.grid.addWidget(self.query, 0, 0)
            self.grid.addWidget(self.back, 0, 1)
            self.grid.addWidget(self.status, 1, 0, 1, 2)
            self.grid.addWidget(self.scroll, 2, 0, 1, 2)
            self.grid.addWidget(self.examples, 3, 0, 1, 2)
            self.grid.addWidget(self.keypad, 4, 0, 1, 2)
            self.grid.setRowStretch(2, 1)
            self.grid.setColumnStretch(0, 1)
        else:  # results and 返回首页 on the left, the field and the keys on the right
            self.grid.addWidget(self.status, 0, 0)
            self.grid.addWidget(self.scroll, 1, 0, 2, 1)
            self.grid.addWidget(self.back, 3, 0, Qt.AlignmentFlag.AlignLeft)
            self.grid.addWidget(self.query, 0, 1)
            self.grid.addWidget(self.examples, 1, 1)
            self.grid.addWidget(self.keypad, 2, 1, 2, 1, Qt.AlignmentFlag.AlignTop)
            self.grid.setRowStretch(2, 1)
            self.grid.setColumnStretch(0, 5)
            self.grid.setColumnStretch(1, 4)
        self.examples.setVisible(not self.elderly)  # 长者模式: fewer words; the status line says it

    # ---- searching ------------------------------------------------------------------------------
    def set_index(self, index: Any, common: list[dict[str, Any]]) -> None:
        self.index, self.common = index, common
        self.refresh()

    def clear(self) -> None:
        self.query.clear()
        self.scroll.verticalScrollBar().setValue(0)

    def refresh(self) -> None:
        text = self.query.text().strip()
        if not text:
            self._fill([(i, "") for i in self.common])
            self.status.setText(tr("常用业务（输入拼音首字母，马上找到要办的业务）"))
            return
        if self.index is None:
            self._fill([])
            self.status.setText(tr("正在准备搜索，请稍候……"))
            return
        found = self.index.search(text, limit=RESULTS)
        self._fill([(h.item, "" if h.by_name else tr("{how}：{field}").format(how=tr(HOW[h.rank]), field=h.field)) for h in found.hits])
        if not found.hits:
            self.status.setText(tr("没有找到与「{text}」相关的业务。可以少输几个字母再试，"
                                   "或点右上角「帮办」请工作人员帮忙。").format(text=text))
        elif found.more:
            self.status.setText(tr("找到很多项，以下是最相关的 {n} 项；继续输入可缩小范围").format(n=len(found)))
        else:
            self.status.setText(tr("找到 {n} 项，点业务名称查看办事指南").format(n=len(found)))

    def _fill(self, results: list[tuple[dict[str, Any], str]]) -> None:
        for row, (item, why) in zip(self.rows, results, strict=False):
            row.show_item(item, why)
        for row in self.rows[len(results):]:
            row.item = None
            row.setAccessibleName(tr("搜索结果"))
            row.hide()
        self.scroll.verticalScrollBar().setValue(0)

    def shown_items(self) -> list[dict[str, Any]]:
        return [r.item for r in self.rows if r.item is not None and not r.isHidden()]
