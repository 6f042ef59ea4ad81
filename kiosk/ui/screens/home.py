"""Home: where every visit starts and ends.

Pages of the one `home` screen (the runner and scenarios know it as `home` on every page):
- main: 搜索业务 (智能导办), the items residents use most (the catalogue's `home_rank` order, as the
  ServiceDesk gives them), and the department tiles (kiosk/ui/icons.py GROUPS, ordered by their
  best-ranked item);
- groups: every department; group: one department's items;
- search: the letter keypad and its results (kiosk/ui/search_panel.py);
- attract: after `attract_s` untouched on home, a welcome that any touch dismisses.
Tapping an item (a tile or a result) emits item_chosen: the runner opens its guide.

Layouts follow the screen's shape (portrait when taller than wide) and 长者模式 (fewer, larger
tiles: a simpler home, MIIT 适老化). Nothing on home is personal: the search text and the page are
reset whenever home shows again.
"""

from __future__ import annotations

import logging
from typing import Any

import shiboken6
from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QApplication, QGridLayout, QHBoxLayout, QVBoxLayout, QWidget

from kiosk.ui import icons
from kiosk.ui.countdown import Countdown
from kiosk.ui.first_paint import when_painted
from kiosk.ui.i18n import current, item_text, tr
from kiosk.ui.language_switch import LanguageSwitch
from kiosk.ui.layout_items import take_items
from kiosk.ui.ops import run_op
from kiosk.ui.screens.base import Screen
from kiosk.ui.search_panel import SearchPanel
from kiosk.ui.tiles import Tile, item_tile, tokens_for
from kiosk.ui.widgets import PagedScroll, PageStack, button, label

log = logging.getLogger(__name__)

# (frequent columns, frequent tiles, group columns, group tiles) by (portrait, elderly). 长者模式 shows
# at most 8 large tiles of the items flagged `elderly_frequent` (in home_rank order), search, and a
# row with 帮办 and 更多业务: the departments are a tap further.
LAYOUTS = {
    (False, False): (6, 12, 6, 6),  # one row of departments (the last tile: 全部部门): the ranked items get the height
    (False, True): (4, 8, 0, 0),
    (True, False): (3, 12, 3, 12),
    (True, True): (2, 8, 0, 0),
}
ATTRACT_HINTS = (
    tr("刷身份证，就能办社保、医保、户籍证明等业务"),
    tr("字太小？点右上角「长者模式」，字更大、步骤更少"),
    tr("不会操作？点右上角「帮办」，工作人员马上来帮您"),
    tr("输入拼音首字母就能找业务：ylrz 养老认证"),
)
_ACTIVITY = {QEvent.Type.MouseButtonPress, QEvent.Type.TouchBegin, QEvent.Type.KeyPress}


class AttractTimer(QObject):
    """Home untouched for `seconds` → `expired` (the attract page). Runs only while home shows, on
    kiosk/ui/countdown.py (so `idle:` in scenarios and advance_all() in tests move it too)."""

    expired = Signal()

    def __init__(self, seconds: float, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.seconds = seconds
        self.countdown = Countdown(self)
        self.countdown.finished.connect(self.expired.emit)
        self.armed = False

    def arm(self, on: bool) -> None:
        app = QApplication.instance()
        if on and not self.armed and app is not None:
            app.installEventFilter(self)
        elif not on and self.armed and app is not None:
            app.removeEventFilter(self)
        self.armed = on
        if on:
            self.countdown.start(self.seconds)
        else:
            self.countdown.stop()

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        if event.type() in _ACTIVITY:
            self.countdown.start(self.seconds)
        return False


class AttractPage(QWidget):
    """The welcome shown to passers-by; any touch brings home back."""

    touched = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("attract")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setAccessibleName(tr("轻触屏幕开始"))
        lay = QVBoxLayout(self)
        lay.setContentsMargins(80, 60, 80, 60)
        lay.setSpacing(36)
        lay.addStretch(2)
        self.icon = label("", "attractIcon")
        self.icon.setAlignment(Qt.AlignmentFlag.AlignCenter)
        lay.addWidget(self.icon)
        for text, role in ((tr("欢迎使用 粤智助"), "attractTitle"), (tr("政务服务自助终端"), "attractSubtitle")):
            w = label(text, role)
            w.setAlignment(Qt.AlignmentFlag.AlignCenter)
            lay.addWidget(w)
        lay.addStretch(1)
        self.touch = label(tr("轻触屏幕 开始办理"), "attractTouch")
        self.touch.setAlignment(Qt.AlignmentFlag.AlignCenter)
        lay.addWidget(self.touch)
        self.hint = label(tr(ATTRACT_HINTS[0]), "attractHint")
        self.hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        lay.addWidget(self.hint)
        self.popular = label("", "attractHint")
        self.popular.setAlignment(Qt.AlignmentFlag.AlignCenter)
        lay.addWidget(self.popular)
        lay.addStretch(2)
        self._hint = 0
        self._rotate = QTimer(self, interval=6000)  # only changes the hint shown; nothing waits on it
        self._rotate.timeout.connect(self.next_hint)

    def set_tokens(self, tokens: dict[str, Any], popular: list[str]) -> None:
        self.icon.setPixmap(icons.pixmap("touch", tokens["primary_text"], tokens["icon_px"] * 3))
        self.popular.setText(tr("常用：") + " · ".join(popular) if popular else "")

    def next_hint(self) -> None:
        self._hint = (self._hint + 1) % len(ATTRACT_HINTS)
        self.hint.setText(tr(ATTRACT_HINTS[self._hint]))

    def showEvent(self, event) -> None:  # noqa: N802 (Qt API)
        self._rotate.start()
        super().showEvent(event)

    def hideEvent(self, event) -> None:  # noqa: N802 (Qt API)
        self._rotate.stop()
        super().hideEvent(event)

    def mousePressEvent(self, event) -> None:  # noqa: N802 (Qt API)
        self.touched.emit()
        event.accept()


def _grid(cols: int) -> tuple[QWidget, QGridLayout]:
    host = QWidget()
    host.setObjectName("screen")
    grid = QGridLayout(host)
    grid.setContentsMargins(0, 0, 0, 0)
    grid.setSpacing(20)
    grid.setAlignment(Qt.AlignmentFlag.AlignTop)
    return host, grid


class HomeScreen(Screen):
    name = "home"
    item_chosen = Signal(dict)
    language_chosen = Signal(str)  # 简 / 繁 / EN (the runner switches the session's language)
    help_requested = Signal()  # 长者模式's 帮办 tile (the title bar's 帮办 works everywhere)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("", parent)
        self.title.hide()  # each page has its own heading
        self.items: list[dict[str, Any]] = []
        self.tiles: dict[str, Tile] = {}  # item id → its tile on the main page
        self.loaded = False  # the items arrived (or could not be fetched, and the notice says so)
        self.elderly = False
        self.portrait = False
        self.index: Any = None  # the search index, built off the GUI thread
        self._group_items: list[dict[str, Any]] = []
        self._generation = 0

        self.language_switch = LanguageSwitch()
        self.language_switch.chosen.connect(self.language_chosen.emit)  # placed on the main page by _rebuild
        self.pages = PageStack()
        self.body.addWidget(self.pages, 1)
        self.main = self._page()
        self.groups_page = self._page()
        self.group_page = self._page()
        self.search = SearchPanel()
        self.search.item_chosen.connect(self.item_chosen.emit)
        self.search.closed.connect(self.show_main)
        self.attract = AttractPage()
        self.attract.touched.connect(self.show_main)
        for page in (self.main, self.groups_page, self.group_page, self.search, self.attract):
            self.pages.addWidget(page)
        self.timer = AttractTimer(120.0, self)
        self.timer.expired.connect(self.show_attract)
        self._rebuild()

    # ---- what the runner and the app call -------------------------------------------------------
    def set_attract_after(self, seconds: float) -> None:
        self.timer.seconds = seconds

    def item_for(self, item_id: str) -> dict[str, Any]:
        return next(i for i in self.items if i["id"] == item_id)

    def set_elderly(self, on: bool) -> None:
        self.elderly = on
        self._rebuild()

    def set_items(self, items: list[dict[str, Any]]) -> None:
        self.items = list(items)
        self.index = None
        self.loaded = True
        self._rebuild()
        self._generation += 1
        if self.items:
            generation, snapshot = self._generation, list(self.items)
            # once the tiles are on the screen: pypinyin's tables would compete with their first paint
            when_painted(self, lambda: True, lambda: run_op(
                lambda: _build_index(snapshot), lambda index: self._index_ready(generation, index),
                lambda exc: log.error("search index not built: %s", exc)), fallback_ms=1000)

    def _index_ready(self, generation: int, index: Any) -> None:
        if not shiboken6.isValid(self.search.query):
            return  # the window closed while the index was being built
        if generation == self._generation:  # not an index of items replaced meanwhile
            self.index = index
            self.search.set_index(index, self.items[:12])

    def page_name(self) -> str:
        return {self.main: "main", self.groups_page: "groups", self.group_page: "group",
                self.search: "search", self.attract: "attract"}[self.pages.currentWidget()]

    # ---- pages ---------------------------------------------------------------------------------
    def show_main(self) -> None:
        self.search.clear()
        self.pages.setCurrentWidget(self.main)

    def show_search(self) -> None:
        self.search.clear()
        self.pages.setCurrentWidget(self.search)
        self.search.query.setFocus()

    def show_groups(self) -> None:
        self.pages.setCurrentWidget(self.groups_page)

    def show_group(self, group: icons.Group) -> None:
        items = [i for i in self.items if i.get("department") in group.departments]
        self._fill_group(group, items)
        self.pages.setCurrentWidget(self.group_page)

    def show_attract(self) -> None:
        if self.isVisible():
            self.search.clear()
            self.pages.setCurrentWidget(self.attract)

    def showing(self) -> None:
        """The window shows home (again): every visit ends here, so start afresh."""
        self.show_main()
        self.timer.arm(True)

    def showEvent(self, event) -> None:  # noqa: N802 (Qt API)
        self.timer.arm(True)
        super().showEvent(event)

    def hideEvent(self, event) -> None:  # noqa: N802 (Qt API)
        self.timer.arm(False)
        super().hideEvent(event)

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt API)
        portrait = self.height() > self.width()
        if portrait != self.portrait:
            self.portrait = portrait
            self._rebuild()
        super().resizeEvent(event)

    def clear_personal_data(self) -> None:
        self.search.clear()

    def retranslate(self) -> None:
        """Tiles carry item names from the catalogue: build the pages again in the new language."""
        self.language_switch.show_language(current())
        page = self.page_name()
        self._rebuild()
        if self.index is not None:
            self.search.set_index(self.index, self.items[:12])
        if page == "group":  # its tiles were built for the old language
            self.show_groups()

    def prompt(self) -> str:
        return {"search": tr("请用下方的字母键输入业务名称的拼音首字母。"),
                "attract": tr("欢迎使用粤智助，请轻触屏幕开始。")}.get(
            self.page_name(), tr("您好！请选择要办理的业务，或输入拼音首字母搜索。"))

    # ---- building the pages --------------------------------------------------------------------
    def _page(self) -> QWidget:
        page = QWidget()
        page.setObjectName("screen")
        QVBoxLayout(page).setContentsMargins(0, 0, 0, 0)
        return page

    @staticmethod
    def _clear(page: QWidget) -> QVBoxLayout:
        lay = page.layout()
        assert isinstance(lay, QVBoxLayout)
        for child in take_items(lay):
            w = child.widget()
            if w is not None:
                w.hide()
                w.setParent(None)  # gone at once: an old page never shows through a new one
                w.deleteLater()
            elif child.layout() is not None:
                _drop(child.layout())
        lay.setSpacing(16)
        return lay

    def _groups(self) -> list[tuple[icons.Group, int]]:
        """Department groups with their item counts, the group of the best-ranked item first."""
        order: dict[str, tuple[int, icons.Group, int]] = {}
        for n, item in enumerate(self.items):
            group = icons.group_of(item.get("department") or "")
            first, _, count = order.get(group.label, (n, group, 0))
            order[group.label] = (first, group, count + 1)
        return [(g, c) for _, g, c in sorted(order.values(), key=lambda x: x[0])]

    def _rebuild(self) -> None:
        tokens = tokens_for(self.elderly)
        freq_cols, freq_n, group_cols, group_n = LAYOUTS[(self.portrait, self.elderly)]
        if current() == "en":  # English names take two or three lines: wider tiles, fewer of them
            if self.portrait:  # two columns; the height holds four rows of items and two of departments
                freq_cols, freq_n = 2, min(freq_n, 8)
                group_n = min(group_n, 2 * group_cols)
            else:  # "Social security & jobs" needs a wider tile than 社保就业
                freq_cols, freq_n = max(2, freq_cols // 2), max(2, freq_n // 2)
                group_cols = max(2, group_cols * 2 // 3)
                group_n = min(group_n, group_cols)
        self.language_switch.setParent(self)  # out of the old main page before it is cleared; placed again below
        lay = self._clear(self.main)
        head = QHBoxLayout()
        head.setSpacing(32)
        compact = self.elderly and not self.portrait  # 长者模式 landscape: search, 帮办, 更多业务 share the row
        greeting = label(tr("您好！请选择业务") if compact else tr("您好！请选择要办理的业务"), "title", wrap=self.portrait)
        find = Tile(tr("搜索业务"), "search", "" if compact else tr("输入拼音首字母，如 ylrz 找「养老认证」"), tokens=tokens,
                    role="searchBar")
        find.clicked.connect(self.show_search)
        # 简 / 繁 / EN: in landscape at the end of the search row (the tiles need the height), in portrait
        # a row of its own above it. 长者模式 offers fewer choices: its 8 large tiles need the room
        # (measured in test_elderly_screens), so there it is not shown.
        if self.portrait:  # the greeting above the search, each a full row
            lay.addWidget(self.language_switch)
            lay.addWidget(greeting)
            lay.addWidget(find)
        else:  # head goes in before its widgets: PySide wraps the items of a filled layout added to
            lay.addLayout(head)  # a shown one, and the switch's item dies when it moves out (field_rows.py)
            head.addWidget(greeting)
            head.addWidget(find, 1)
            head.addWidget(self.language_switch, 0, Qt.AlignmentFlag.AlignVCenter)
        self.language_switch.setVisible(not self.elderly)
        helpers = self._elderly_helpers(tokens) if not group_n else None
        if helpers is not None and not self.portrait:
            head.addLayout(helpers)  # 长者模式 landscape: 帮办 and 更多业务 beside the search, the tiles get the height

        self.tiles = {}
        groups = self._groups()
        if not self.items:
            notice = label(tr("暂时无法获取业务列表，请稍后再试或点右上角「帮办」联系工作人员。")
                           if self.loaded else tr("正在加载业务……"), "error" if self.loaded else "subtitle")
            notice.setAlignment(Qt.AlignmentFlag.AlignCenter)
            lay.addWidget(notice)
            lay.addStretch(1)
        else:
            if group_n:  # 长者模式: only these tiles, no heading needed
                lay.addWidget(label(tr("常用业务"), "sectionTitle"))
            host, grid = _grid(freq_cols)
            shown = (elderly_items(self.items) if self.elderly else self.items)[:freq_n]
            for n, item in enumerate(shown):
                tile = item_tile(item, tokens, vertical=freq_cols >= 6)  # narrow tiles: icon above
                tile.clicked.connect(lambda _=False, it=item: self.item_chosen.emit(it))
                grid.addWidget(tile, n // freq_cols, n % freq_cols)
                self.tiles[item["id"]] = tile
            for c in range(freq_cols):
                grid.setColumnStretch(c, 1)
            lay.addWidget(host)
            if helpers is not None and self.portrait:  # 长者模式: 帮办 at hand; departments a tap further
                lay.addLayout(helpers)
            if group_n:
                lay.addWidget(label(tr("按部门办理"), "sectionTitle"))
                host, grid = _grid(group_cols)
                fits = groups if len(groups) <= group_n else groups[:group_n - 1]
                for n, (group, count) in enumerate(fits):
                    grid.addWidget(self._group_tile(group, count, tokens), n // group_cols, n % group_cols)
                if len(fits) < len(groups):
                    more = Tile(tr("全部部门"), "more", tr("共 {n} 个部门").format(n=len(groups)), tokens=tokens, role="group")
                    more.clicked.connect(self.show_groups)
                    grid.addWidget(more, len(fits) // group_cols, len(fits) % group_cols)
                for c in range(group_cols):
                    grid.setColumnStretch(c, 1)
                lay.addWidget(host)
            lay.addStretch(1)

        lay = self._clear(self.groups_page)
        lay.addLayout(self._heading(tr("全部部门"), tokens))
        cols = 2 if self.portrait or self.elderly else 4
        host, grid = _grid(cols)
        for n, (group, count) in enumerate(groups):
            grid.addWidget(self._group_tile(group, count, tokens), n // cols, n % cols)
        for c in range(cols):
            grid.setColumnStretch(c, 1)
        lay.addWidget(PagedScroll(host), 1)

        self.search.set_shape(self.portrait, self.elderly)
        self.attract.set_tokens(tokens, [item_text(i, "name") for i in self.items[:3]])

    def _elderly_helpers(self, tokens: dict[str, Any]) -> QHBoxLayout:
        row = QHBoxLayout()
        row.setSpacing(24)
        helper = Tile(tr("找工作人员帮办") if self.portrait else tr("请人帮办"), "help",
                      tr("工作人员马上来帮您") if self.portrait else "", tokens=tokens, role="group")
        helper.clicked.connect(self.help_requested.emit)
        more = Tile(tr("更多业务"), "more", tr("按部门查找") if self.portrait else "", tokens=tokens, role="group")
        more.clicked.connect(self.show_groups)
        for tile in (helper, more):
            tile.setMinimumWidth(300)  # beside the search in landscape: room for the caption on one line
        row.addWidget(helper, 1)
        row.addWidget(more, 1)
        return row

    def _group_tile(self, group: icons.Group, count: int, tokens: dict[str, Any]) -> Tile:
        tile = Tile(tr(group.label), group.icon, tr("{n} 项业务").format(n=count), tokens=tokens, role="group")
        tile.clicked.connect(lambda _=False, g=group: self.show_group(g))
        return tile

    def _heading(self, text: str, tokens: dict[str, Any]) -> QHBoxLayout:
        row = QHBoxLayout()
        back = button(tr("返回首页"))
        back.setIcon(icons.icon("back", tokens["primary"]))
        back.clicked.connect(self.show_main)
        row.addWidget(back)
        title = label(text, "title")
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        row.addWidget(title, 1)
        row.addSpacing(back.sizeHint().width())
        return row

    def _fill_group(self, group: icons.Group, items: list[dict[str, Any]]) -> None:
        tokens = tokens_for(self.elderly)
        lay = self._clear(self.group_page)
        lay.addLayout(self._heading(tr("{group}（{n} 项）").format(group=tr(group.label), n=len(items)), tokens))
        cols = 1 if self.elderly and self.portrait else 2 if self.portrait or self.elderly else 3
        host, grid = _grid(cols)
        for n, item in enumerate(items):
            tile = item_tile(item, tokens, role="group")
            tile.clicked.connect(lambda _=False, it=item: self.item_chosen.emit(it))
            grid.addWidget(tile, n // cols, n % cols)
        for c in range(cols):
            grid.setColumnStretch(c, 1)
        lay.addWidget(PagedScroll(host), 1)
        self._group_items = items


def elderly_items(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """长者模式's home: the items flagged `elderly_frequent`, in the order given (home_rank)."""
    return [i for i in items if i.get("elderly_frequent")]


def _drop(layout: Any) -> None:
    for child in take_items(layout):
        w = child.widget()
        if w is not None:
            w.hide()
            w.setParent(None)
            w.deleteLater()
        elif child.layout() is not None:
            _drop(child.layout())


def _build_index(items: list[dict[str, Any]]) -> Any:
    from kiosk.services.search import SearchIndex  # pypinyin's tables load here, off the GUI thread

    return SearchIndex(items)
