"""Step `document` (print): the certificate is issued, shown for checking, then printed.

The screen shows what the paper will say: its lines (chosen and masked by their field keys,
holder_id_number masked, never by label text), its table, the certificate number, and the
verification code with its QR. Then 打印证明 — or, where an A4 printer is configured, 打印 A4 证明
beside 打印凭条. A failing or missing A4 printer falls back to the receipt (ServiceDesk.print_document)
and the result step says so. A refused form value (form_invalid) goes back to the form page of that
field.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QBoxLayout, QGridLayout, QVBoxLayout, QWidget

from kiosk.ui.field_rows import FieldRows
from kiosk.ui.i18n import item_text, tr
from kiosk.ui.layout_items import take_items
from kiosk.ui.qr import QrView
from kiosk.ui.steps import register
from kiosk.ui.steps.base import StepContext, StepScreen
from kiosk.ui.widgets import card, label, mask_id_number, restyle, touch_scroll

MASKED_KEYS = ("holder_id_number",)


def screen_rows(document: dict[str, Any]) -> list[tuple[str, str]]:
    rows = []
    for line in document.get("lines", []):
        value = str(line["value"])
        if line.get("key") in MASKED_KEYS:
            value = mask_id_number(value)  # on screen it need not be read in full
        rows.append((str(line["label"]), value))
    if document.get("valid_until"):
        rows.append((tr("有效期至"), document["valid_until"]))
    if document.get("certificate_no"):
        rows.append((tr("证明编号"), document["certificate_no"]))
    return rows


def table_rows(document: dict[str, Any]) -> list[str]:
    """The certificate's table, one wrapped line per row ("年度 2020 · 险种 养老保险 · …")."""
    table = document.get("table") or {}
    columns = table.get("columns") or []
    return [" · ".join(f"{c} {v}" for c, v in zip(columns, row, strict=False)) for row in table.get("rows") or []]


@register
class DocumentScreen(StepScreen):
    name = "document"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.subtitle = label("", "subtitle")
        self.subtitle.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.body.addWidget(self.subtitle)
        self.sheet = card()
        sheet_lay = QVBoxLayout(self.sheet)
        sheet_lay.setContentsMargins(40, 28, 40, 28)
        self.rows = QGridLayout()
        self.rows.setHorizontalSpacing(40)
        self.rows.setVerticalSpacing(14)
        self.rows.setColumnStretch(1, 1)
        self.fields = FieldRows(self.rows)
        sheet_lay.addLayout(self.rows)
        self.table_title = label(tr("明细"), "sectionTitle")
        sheet_lay.addWidget(self.table_title)
        self.table_lay = QVBoxLayout()
        self.table_lay.setSpacing(6)
        sheet_lay.addLayout(self.table_lay)
        sheet_lay.addStretch(1)
        # the verification code and its QR beside the sheet: what a unit or a bank checks
        # landscape: the QR column beside the sheet; portrait: the QR row under it
        side = self.side = QBoxLayout(QBoxLayout.Direction.TopToBottom)
        self.qr = QrView(tr("证明核验二维码"), side_px=240, min_px=120)  # shrinks where the screen is tight
        self.code = label("", "fieldValue")
        self.code.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.code_hint = label(tr("扫码或凭核验码可核验证明真伪"), "hint")
        self.code_hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        code_box = QVBoxLayout()
        code_box.addWidget(self.code)
        code_box.addWidget(self.code_hint)
        side.addStretch(1)
        side.addWidget(self.qr, 1)
        side.addLayout(code_box)
        side.addStretch(1)
        pair = self.pair = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        pair.setSpacing(32)
        pair.addWidget(touch_scroll(self.sheet), 1)
        pair.addLayout(side)
        self.body.addLayout(pair, 1)
        self.print_a4 = self.add_button(tr("打印 A4 证明"), "primary")
        self.print = self.add_button(tr("打印证明"), "primary")
        self.print.setObjectName("print")
        self.print_a4.clicked.connect(lambda: self._print(a4=True))
        self.print.clicked.connect(lambda: self._print(a4=False))
        self.document: dict[str, Any] | None = None

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt API)
        tall = self.height() > self.width()
        self.pair.setDirection(QBoxLayout.Direction.TopToBottom if tall else QBoxLayout.Direction.LeftToRight)
        self.side.setDirection(QBoxLayout.Direction.LeftToRight if tall else QBoxLayout.Direction.TopToBottom)
        super().resizeEvent(event)

    def enter(self, ctx: StepContext) -> None:
        super().enter(ctx)
        self._clear_rows()
        self.title.setText(item_text(ctx.item, "name"))
        a4 = bool(ctx.services.has_a4_printer)
        self.print_a4.setVisible(a4)
        self.print.setText(tr("打印凭条") if a4 else tr("打印证明"))
        self.print.setProperty("variant", "" if a4 else "primary")  # A4 first where it exists
        self.subtitle.setText(tr("请核对以下信息，确认无误后点「打印 A4 证明」或「打印凭条」。") if a4 else tr("请核对以下信息，确认无误后点「打印证明」。"))
        for b in (self.print, self.print_a4):
            b.setEnabled(False)
            restyle(b)
        self._issue()

    def _issue(self) -> None:
        ctx = self.ctx
        if ctx is None:
            return
        token, fields = ctx.session.platform_token, dict(ctx.results.get("form") or {})
        ctx.run(lambda: ctx.services.issue_certificate(token, ctx.item, fields), self._show, self._refused,
                busy=tr("正在为您办理「{name}」，请稍候……").format(name=item_text(ctx.item, "name")))

    def _show(self, document: dict[str, Any]) -> None:
        if self.ctx is None:
            return
        self.ctx.results["certificate"] = document  # in the Session: wiped with it
        self.document = document
        self.title.setText(document["title"])
        for name, value in screen_rows(document):
            self.fields.add(name, value)
        lines = table_rows(document)
        for text in lines:
            self.table_lay.addWidget(label(text, "body"))
        self.table_title.setVisible(bool(lines))
        self.code.setText(tr("核验码：{code}").format(code=document["verification_code"]))
        self.qr.show_payload(document["qr"])
        for b in (self.print, self.print_a4):
            b.setEnabled(True)

    def _refused(self, exc: Exception) -> None:
        if self.ctx is None:
            return
        if getattr(exc, "code", None) == "form_invalid" and self.ctx.runner.revisit("form", exc):
            return
        self.ctx.fail(exc, retry=self._issue)

    def _print(self, a4: bool) -> None:
        ctx, document = self.ctx, self.document
        if ctx is None or document is None or ctx.session.identity is None:
            return
        identity = ctx.session.identity

        def printed(outcome: Any) -> None:
            if outcome.receipt is not None:
                ctx.session.results["last_receipt"] = outcome.receipt  # reprint within the session
            self.done.emit({"printed": True, "printer": outcome.printer, "fallback": outcome.fallback,
                            "reference": document.get("certificate_no")})

        ctx.run(lambda: ctx.services.print_document(document, identity, a4=a4), printed,
                lambda exc: ctx.fail(exc, retry=lambda: self._print(a4)),
                busy=tr("正在打印 A4 证明，请稍候……") if a4 else tr("正在打印，请稍候……"))

    def values(self) -> list[tuple[str, str]]:
        return self.fields.values()

    def prompt(self) -> str:
        return tr("请核对证明内容，确认无误后点打印。")

    def _clear_rows(self) -> None:
        self.fields.clear()
        for item in take_items(self.table_lay):
            w = item.widget()
            if w is not None:
                w.setText("")  # gone now, not only when the event loop deletes the widget
                w.hide()
                w.deleteLater()
        self.table_title.hide()
        self.qr.clear_payload()
        self.code.setText("")

    def clear_personal_data(self) -> None:
        super().clear_personal_data()
        self._clear_rows()
        self.document = None
        self.title.setText("")
