"""Step `guide` (一次性告知): every 办事指南 element of the item on one screen, then 开始办理.

At the top, the guide at a glance (办理部门, 承诺时限, 收费, 申请材料, 到现场); below, every standard element
(kiosk/services/guide.py ELEMENTS) under its own name, in a touch scroll with 上一页 / 下一页. Each
material says how it can be provided here (e-licence, 告知承诺, 容缺, the document camera) or, marked
⚠, that it must go to the window. 打印指南 prints the same sections as a 一次性告知单. An item this
kiosk cannot complete says so here, before the resident starts, with the window to go to.
"""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

from kiosk.services import catalogue_text, guide
from kiosk.ui import icons, theme
from kiosk.ui.i18n import current, item_text, tr
from kiosk.ui.layout_items import take_items
from kiosk.ui.steps import register
from kiosk.ui.steps.base import StepContext, StepScreen
from kiosk.ui.widgets import card, label, touch_scroll

SECTION_ICONS = {"受理条件": "conditions", "申请材料": "materials", "办理流程": "guide", "法定办结时限": "time",
                 "承诺办结时限": "time", "收费标准": "fee", "办理结果": "result", "设定依据": "basis",
                 "办理地点": "place", "办理时间": "time", "咨询电话": "phone", "投诉电话": "phone",
                 "常见问题": "faq"}


@register
class GuideScreen(StepScreen):
    name = "guide"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.facts = QHBoxLayout()
        self.facts.setSpacing(16)
        self.body.addLayout(self.facts)
        self.warning = label("", "error")
        self.warning.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.body.addWidget(self.warning)
        self.sheet = card()
        self.sheet_lay = QVBoxLayout(self.sheet)
        self.sheet_lay.setContentsMargins(40, 20, 40, 28)
        self.sheet_lay.setSpacing(10)
        self.scroll = touch_scroll(self.sheet)
        self.body.addWidget(self.scroll, 1)
        self.more = self.add_button(tr("查看完整办事指南"))  # 长者模式 (essentials): the full guide, one tap away
        self.more.clicked.connect(lambda: (self._show_full(True), self.ctx and self.ctx.prompt_changed()))
        self.print_guide = self.add_button(tr("打印指南"))
        self.start = self.add_button(tr("开始办理"), "primary")
        self.print_guide.clicked.connect(self._print)
        self.start.clicked.connect(lambda: self.done.emit({"read": True}))
        self.section_titles: list[str] = []
        self.section_lines: dict[str, list[QLabel]] = {}  # kept: never read back through itemAt (field_rows.py)

    def enter(self, ctx: StepContext) -> None:
        super().enter(ctx)
        self.title.hide()  # the journey bar above already names the item: the room goes to the sheet
        self.retranslate()

    def retranslate(self) -> None:
        """The guide in the session's language: 繁體 from the item's zh_Hant (and OpenCC for the
        guide's own phrases), English labels with the platform's Chinese-only text said plainly."""
        ctx = self.ctx
        if ctx is None:
            return
        lang = current()
        item = catalogue_text.localized(ctx.item, lang)
        self.title.setText(item_text(ctx.item, "name"))
        if lang == "en":
            self._fill_facts(english_facts(ctx.item))
        else:
            self._fill_facts([(tr(what), hk(value, lang)) for what, value in guide.facts(item)])
        sections = guide.sections(item)
        if lang == "zh_HK":
            sections = [guide.Section(s.title, [catalogue_text.to_hk(line) for line in s.lines]) for s in sections]
        self._fill(sections, item)
        missing = guide.unavailable_materials(item)
        complete = len(ctx.plan) > 1 and ctx.plan.steps[1].kind != "not_built"
        notes = []
        if missing:
            notes.append(tr("⚠ 以下材料需到窗口提交：") + tr("、").join(hk(m, lang) for m in missing))
        if not complete:
            notes.append(tr("本终端暂未开通本事项的自助办理，点「开始办理」查看办理窗口。"))
        if catalogue_text.chinese_only(ctx.item, lang):
            notes.insert(0, tr("本事项的办事指南内容仅有中文版本，以下详细内容以中文显示。如需帮助，请点「帮办」。"))
        self.warning.setText("\n".join(notes))
        self.warning.setVisible(bool(notes))
        self._show_full(not ctx.params.get("essentials"))

    def _show_full(self, full: bool) -> None:
        """Every element (standard), or the guide at a glance and 开始办理 at once (长者模式's
        `essentials`: one decision on the screen; the full guide stays one tap away)."""
        self.scroll.setVisible(full)
        self.print_guide.setVisible(full)
        self.more.setVisible(not full)

    def _tokens(self) -> dict:
        return theme.ELDERLY if self.window().property("theme") == "elderly" else theme.STANDARD

    def _fill_facts(self, facts: list[tuple[str, str]]) -> None:
        _empty(self.facts)
        for what, value in facts:
            box = card()
            box.setProperty("role", "fact")
            lay = QVBoxLayout(box)
            lay.setContentsMargins(16, 8, 16, 8)
            lay.setSpacing(0)
            for text, role in ((what, "factName"), (value, "factValue")):
                w = label(text, role)
                w.setAlignment(Qt.AlignmentFlag.AlignCenter)
                lay.addWidget(w)
            self.facts.addWidget(box, 1)

    def _fill(self, sections: list[guide.Section], item: dict) -> None:
        _empty(self.sheet_lay)
        tokens = self._tokens()
        self.section_titles, self.section_lines = [], {}
        hardware = item.get("hardware") or []
        marks = ["✓ " if guide.material_routes(m, hardware) else "⚠ " for m in item.get("materials") or []]
        for section in sections:
            head = QHBoxLayout()
            self.sheet_lay.addLayout(head)  # before its widgets: PySide wraps the items of a filled one
            head.setSpacing(12)
            mark = QLabel()
            size = tokens["icon_px"] - 8
            mark.setPixmap(icons.icon(SECTION_ICONS.get(section.title, "guide"), tokens["primary"])
                           .pixmap(QSize(size, size)))
            head.addWidget(mark)
            head.addWidget(label(tr(section.title), "sectionTitle"), 1)
            self.section_titles.append(section.title)
            lines = self.section_lines.setdefault(section.title, [])
            for n, line in enumerate(section.lines):
                if section.title == "申请材料" and marks:  # one line per material, in order
                    line = marks[n] + line
                lines.append(label(line, "body"))
                self.sheet_lay.addWidget(lines[-1])
        self.sheet_lay.addStretch(1)
        self.scroll.verticalScrollBar().setValue(0)

    def section_text(self, title: str) -> str:
        """What the screen shows under one element (tests, and the voice later)."""
        return "\n".join(w.text() for w in self.section_lines.get(title, []))

    def _print(self) -> None:
        ctx = self.ctx
        if ctx is None:
            return
        item = ctx.item
        receipt = guide.guide_receipt(item, printed_at=datetime.now(), kiosk_id=ctx.services.kiosk_id)
        ctx.run(lambda: ctx.services.print_receipt(receipt), lambda _: None, busy=tr("正在打印办事指南，请稍候……"))

    def prompt(self) -> str:
        if self.more.isVisible():
            return tr("请阅读办事指南的要点，准备好后点「开始办理」。")
        return tr("请阅读办事指南，准备好后点「开始办理」。")


def _empty(layout) -> None:
    """Take everything out of a layout at once (hidden and unparented: an old guide never shows
    through the next one while deleteLater waits)."""
    for entry in take_items(layout):
        w = entry.widget()
        if w is not None:
            w.hide()
            w.setParent(None)
            w.deleteLater()
        elif entry.layout() is not None:
            _empty(entry.layout())


def hk(text: str, lang: str) -> str:
    return catalogue_text.to_hk(text) if lang == "zh_HK" else text


def english_facts(item: dict) -> list[tuple[str, str]]:
    """The guide at a glance in English (guide.facts' figures, worded here)."""
    materials = item.get("materials") or []
    missing = guide.unavailable_materials(item)
    need = tr("{n} 项").format(n=len(materials)) if materials else tr("无需材料")
    if missing:
        need += tr("（{n} 项需到窗口）").format(n=len(missing))
    promised = item.get("promised_limit_days")
    visits = item.get("visits")
    fee = str(item.get("fee") or "不收费")
    return [(tr("办理部门"), tr(item.get("department") or "—")),
            (tr("承诺时限"), tr("即办") if promised == 0 else tr("{n} 个工作日").format(n=promised)
             if isinstance(promised, int) else tr("按指南")),
            (tr("收费"), tr(fee) if fee == "不收费" else tr("收费（详见指南）")),
            (tr("申请材料"), need),
            (tr("到现场"), tr("{n} 次").format(n=visits) if isinstance(visits, int) else tr("按指南"))]
