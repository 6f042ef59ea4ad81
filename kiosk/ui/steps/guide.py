"""Step `guide` (一次性告知): every 办事指南 element of the item on one screen, then 开始办理.

打印指南 prints the same sections as a 一次性告知单. An item this kiosk cannot complete says so here,
before the resident starts, with the window to go to.
"""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QVBoxLayout, QWidget

from kiosk.services import guide
from kiosk.ui.steps import register
from kiosk.ui.steps.base import StepContext, StepScreen
from kiosk.ui.widgets import card, label, touch_scroll


@register
class GuideScreen(StepScreen):
    name = "guide"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.summary = label("", "subtitle")
        self.summary.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.body.addWidget(self.summary)
        self.sheet = card()
        self.sheet_lay = QVBoxLayout(self.sheet)
        self.sheet_lay.setContentsMargins(40, 28, 40, 28)
        self.sheet_lay.setSpacing(10)
        self.scroll = touch_scroll(self.sheet)
        self.body.addWidget(self.scroll, 1)
        self.warning = label("", "error")
        self.warning.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.body.addWidget(self.warning)
        self.print_guide = self.add_button("打印指南")
        self.start = self.add_button("开始办理", "primary")
        self.print_guide.clicked.connect(self._print)
        self.start.clicked.connect(lambda: self.done.emit({"read": True}))
        self.section_titles: list[str] = []

    def enter(self, ctx: StepContext) -> None:
        super().enter(ctx)
        item = ctx.item
        self.title.setText(item["name"])
        legal, promised = guide.time_limit(item)
        body = (item.get("implementing_body") or {}).get("name", "")
        self.summary.setText(f"{body} · 承诺时限：{promised} · {item.get('fee') or '不收费'}")
        self._fill(guide.sections(item))
        missing = guide.unavailable_materials(item)
        complete = len(ctx.plan) > 1 and ctx.plan.steps[1].kind != "not_built"
        notes = []
        if missing:
            notes.append("以下材料需到窗口提交：" + "、".join(missing))
        if not complete:
            notes.append("本终端暂未开通本事项的自助办理，点「开始办理」查看办理窗口。")
        self.warning.setText("\n".join(notes))
        self.warning.setVisible(bool(notes))

    def _fill(self, sections: list[guide.Section]) -> None:
        while self.sheet_lay.count():
            w = self.sheet_lay.takeAt(0).widget()
            if w is not None:
                w.deleteLater()
        self.section_titles = []
        for section in sections:
            self.sheet_lay.addWidget(label(section.title, "sectionTitle"))
            self.section_titles.append(section.title)
            for line in section.lines:
                self.sheet_lay.addWidget(label(line, "body"))
        self.sheet_lay.addStretch(1)
        self.scroll.verticalScrollBar().setValue(0)

    def _print(self) -> None:
        ctx = self.ctx
        if ctx is None:
            return
        item = ctx.item
        receipt = guide.guide_receipt(item, printed_at=datetime.now(), kiosk_id=ctx.services.kiosk_id)
        ctx.run(lambda: ctx.services.print_receipt(receipt), lambda _: None, busy="正在打印办事指南，请稍候……")

    def prompt(self) -> str:
        return "请阅读办事指南，准备好后点「开始办理」。"
