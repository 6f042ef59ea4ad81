"""Step `rate` (好差评, GB/T 39734): five levels, nothing pre-selected, 跳过 always there.

A level of 2 or less offers the in-person indicators (整体满意度, 服务效率, 服务水平, 服务态度) to say what
was wrong. The rating goes through the outbox (POST /ratings, with the certificate or acceptance number
where there is one), so it never blocks the resident.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QButtonGroup, QHBoxLayout, QVBoxLayout, QWidget

from kiosk.ui.i18n import tr
from kiosk.ui.steps import register
from kiosk.ui.steps.base import StepContext, StepScreen
from kiosk.ui.widgets import label, option_button

LEVELS = ((5, tr("非常满意")), (4, tr("满意")), (3, tr("基本满意")), (2, tr("不满意")), (1, tr("非常不满意")))
INDICATORS = (tr("整体满意度"), tr("服务效率"), tr("服务水平"), tr("服务态度"))


@register
class RateScreen(StepScreen):
    name = "rate"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title.setText(tr("请您对本次服务进行评价"))
        self.intro = self.centered(tr("评价是自愿的，您也可以点「跳过」。"), "subtitle")
        levels = QHBoxLayout()  # five big buttons side by side: one decision, no scrolling
        levels.setSpacing(14)
        self.level_group = QButtonGroup(self)
        self.level_buttons: dict[int, Any] = {}
        for level, text in LEVELS:
            b = option_button(f"{'★' * level}{'☆' * (5 - level)}\n{text}")
            b.setProperty("role", "rating")
            b.setAccessibleName(text)
            self.level_group.addButton(b, level)
            self.level_buttons[level] = b
            levels.addWidget(b)
        self.body.addLayout(levels)
        self.indicator_box = QWidget()
        box = QVBoxLayout(self.indicator_box)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(label(tr("哪些方面让您不满意？可多选。文字意见暂不能在本机输入，可拨打 12345 反映。"), "body"))
        grid = QHBoxLayout()
        self.indicators: dict[str, Any] = {}
        for name in INDICATORS:
            b = option_button(name)
            grid.addWidget(b)
            self.indicators[name] = b
        box.addLayout(grid)
        self.body.addWidget(self.indicator_box)
        self.body.addStretch(1)
        self.skip = self.add_button(tr("跳过"))
        self.submit = self.add_button(tr("提交评价"), "primary")
        self.skip.clicked.connect(lambda: self.done.emit({"rated": False}))
        self.submit.clicked.connect(self._submit)
        self.level_group.idToggled.connect(lambda *_: self._update())

    def enter(self, ctx: StepContext) -> None:
        super().enter(ctx)
        self.level_group.setExclusive(False)  # so that nothing can be pre-selected
        for b in [*self.level_buttons.values(), *self.indicators.values()]:
            b.setChecked(False)
        self.level_group.setExclusive(True)
        self._update()

    def _update(self) -> None:
        level = self.level_group.checkedId()
        self.submit.setEnabled(level > 0)
        self.indicator_box.setVisible(0 < level <= 2)
        self.intro.setVisible(not 0 < level <= 2)  # room for the indicators without scrolling

    def _submit(self) -> None:
        ctx, level = self.ctx, self.level_group.checkedId()
        if ctx is None or level < 1:
            return
        indicators = {n: level for n, b in self.indicators.items() if b.isChecked()} if level <= 2 else {}
        reference = next((r.get("reference") for r in ctx.results.values()
                          if isinstance(r, dict) and r.get("reference")), None)
        item = ctx.item
        ctx.run(lambda: ctx.services.rate(item, level, indicators, None, reference), lambda _: None,
                lambda exc: None)  # queued in the outbox; a failure here must not hold the resident
        self.done.emit({"rated": True, "level": level})

    def prompt(self) -> str:
        return tr("请您对本次服务进行评价，也可以点「跳过」。")
