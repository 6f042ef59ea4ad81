"""Step `document` (print): the certificate is issued, shown for checking, then printed.

Rows are chosen by their field keys (holder_id_number is masked on screen), never by label text.
A refused form value (form_invalid) goes back to the form page of that field.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGridLayout, QWidget

from kiosk.ui.steps import register
from kiosk.ui.steps.base import StepContext, StepScreen
from kiosk.ui.widgets import card, label, mask_id_number, touch_scroll

MASKED_KEYS = ("holder_id_number",)


def screen_rows(document: dict[str, Any]) -> list[tuple[str, str]]:
    rows = []
    for line in document.get("lines", []):
        value = str(line["value"])
        if line.get("key") in MASKED_KEYS:
            value = mask_id_number(value)  # on screen it need not be read in full
        rows.append((str(line["label"]), value))
    if document.get("certificate_no"):
        rows.append(("证明编号", document["certificate_no"]))
    return rows


@register
class DocumentScreen(StepScreen):
    name = "document"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.subtitle = label("请核对以下信息，确认无误后点击「打印证明」。", "subtitle")
        self.subtitle.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.body.addWidget(self.subtitle)
        self.sheet = card()
        self.rows = QGridLayout(self.sheet)
        self.rows.setContentsMargins(40, 28, 40, 28)
        self.rows.setHorizontalSpacing(40)
        self.rows.setVerticalSpacing(14)
        self.rows.setColumnStretch(1, 1)
        self.body.addWidget(touch_scroll(self.sheet), 1)
        self.print = self.add_button("打印证明", "primary")
        self.print.setObjectName("print")
        self.print.clicked.connect(self._print)
        self.document: dict[str, Any] | None = None

    def enter(self, ctx: StepContext) -> None:
        super().enter(ctx)
        self._clear_rows()
        self.title.setText(ctx.item["name"])
        self.print.setEnabled(False)
        self._issue()

    def _issue(self) -> None:
        ctx = self.ctx
        if ctx is None:
            return
        token, fields = ctx.session.platform_token, dict(ctx.results.get("form") or {})
        ctx.run(lambda: ctx.services.issue_certificate(token, ctx.item, fields), self._show, self._refused,
                busy=f"正在为您办理「{ctx.item['name']}」，请稍候……")

    def _show(self, document: dict[str, Any]) -> None:
        if self.ctx is None:
            return
        self.ctx.results["certificate"] = document  # in the Session: wiped with it
        self.document = document
        self.title.setText(document["title"])
        for r, (name, value) in enumerate(screen_rows(document)):
            self.rows.addWidget(label(name, "fieldLabel", wrap=False), r, 0, Qt.AlignmentFlag.AlignTop)
            self.rows.addWidget(label(value, "fieldValue"), r, 1, Qt.AlignmentFlag.AlignTop)
        self.print.setEnabled(True)

    def _refused(self, exc: Exception) -> None:
        if self.ctx is None:
            return
        if getattr(exc, "code", None) == "form_invalid" and self.ctx.runner.revisit("form", exc):
            return
        self.ctx.fail(exc, retry=self._issue)

    def _print(self) -> None:
        ctx, document = self.ctx, self.document
        if ctx is None or document is None or ctx.session.identity is None:
            return
        receipt = ctx.services.certificate_receipt(document, ctx.session.identity)
        ctx.session.results["last_receipt"] = receipt  # reprint within the session

        def printed(_: Any) -> None:
            self.done.emit({"printed": True, "reference": document.get("certificate_no")})

        ctx.run(lambda: ctx.services.print_receipt(receipt), printed,
                lambda exc: ctx.fail(exc, retry=self._print), busy="正在打印，请稍候……")

    def values(self) -> list[tuple[str, str]]:
        out: list[tuple[str, str]] = []
        for r in range(self.rows.rowCount()):
            k, v = self.rows.itemAtPosition(r, 0), self.rows.itemAtPosition(r, 1)
            if k and v:
                out.append((k.widget().text(), v.widget().text()))  # type: ignore[union-attr]
        return out

    def prompt(self) -> str:
        return "请核对证明内容，确认无误后点「打印证明」。"

    def _clear_rows(self) -> None:
        while self.rows.count():
            item: Any = self.rows.takeAt(0)
            w = item.widget()
            if w is not None:
                w.setText("")  # gone now, not only when the event loop deletes the widget
                w.hide()
                w.deleteLater()

    def clear_personal_data(self) -> None:
        super().clear_personal_data()
        self._clear_rows()
        self.document = None
        self.title.setText("")
