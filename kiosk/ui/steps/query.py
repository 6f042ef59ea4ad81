"""Step `query`: the platform's records (GET /records/…) as a list with a detail view, then printed.

The item's form answers (the `form` step's result) go along as the query's conditions; the platform
applies each. The list pages with big 上一页 / 下一页 buttons (a few records a page, more in portrait)
and never scrolls sideways: each record is a wrapping button showing its first columns; tapping it
opens every column, with 上一条 / 下一条. No rows: the platform's own `message`.

Printable answers offer 打印凭条, and 打印 A4 证明 where an A4 printer is configured: the A4 page is
the platform's verifiable 查询结果 (POST /certificates for the query item); when the A4 printer fails,
a receipt of it is printed instead and the result step says so.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QSizePolicy, QVBoxLayout, QWidget

from kiosk.services import messages
from kiosk.ui.field_rows import FieldRows
from kiosk.ui.i18n import item_text, tr
from kiosk.ui.layout_items import take_items
from kiosk.ui.steps import register
from kiosk.ui.steps.base import StepContext, StepScreen
from kiosk.ui.widgets import WrapButton, button, card, label

FALLBACK_ROWS = 5  # records a page before the list has a size
SUMMARY_COLUMNS = 3  # columns shown in a list entry; the detail view shows them all
SPACING = 12


def summary(columns: list[str], row: list[str], narrow: bool = False) -> str:
    """A list entry: the first columns as "label：value", side by side on a wide screen and one a
    line on a narrow one (it wraps; nothing scrolls sideways)."""
    pairs = [f"{c}：{v}" for c, v in list(zip(columns, row, strict=False))[:SUMMARY_COLUMNS]]
    return ("\n" if narrow else "　　").join(pairs)


@register
class QueryScreen(StepScreen):
    name = "query"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.heading = self.centered("", "subtitle")
        self.conditions = self.centered("", "hint")
        # the list
        self.list_box = QWidget()
        self.list_lay = QVBoxLayout(self.list_box)
        self.list_lay.setContentsMargins(0, 0, 0, 0)
        self.list_lay.setSpacing(SPACING)
        # the list takes the height left over (never asks for more): the page holds what fits in it
        self.list_box.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Ignored)
        self.body.addWidget(self.list_box, 1)
        pager = QHBoxLayout()
        self.prev_page = button(tr("上一页"), role="page")
        self.page_text = label("", "subtitle", wrap=False)
        self.page_text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.next_page = button(tr("下一页"), role="page")
        self.prev_page.clicked.connect(lambda: self._show_page(self.page - 1))
        self.next_page.clicked.connect(lambda: self._show_page(self.page + 1))
        pager.addWidget(self.prev_page)
        pager.addWidget(self.page_text, 1)
        pager.addWidget(self.next_page)
        self.pager = QWidget()
        self.pager.setLayout(pager)
        self.body.addWidget(self.pager)
        # one record, every column
        self.detail = card()
        self.detail_grid = QGridLayout(self.detail)
        self.detail_grid.setContentsMargins(40, 28, 40, 28)
        self.detail_grid.setHorizontalSpacing(40)
        self.detail_grid.setVerticalSpacing(14)
        self.detail_grid.setColumnStretch(1, 1)
        self.detail_rows = FieldRows(self.detail_grid)
        self.body.addWidget(self.detail, 1)
        detail_nav = QHBoxLayout()
        self.prev_record = button(tr("上一条"), role="page")
        self.back_to_list = button(tr("返回列表"))
        self.next_record = button(tr("下一条"), role="page")
        self.prev_record.clicked.connect(lambda: self._show_record(self.record - 1))
        self.next_record.clicked.connect(lambda: self._show_record(self.record + 1))
        self.back_to_list.clicked.connect(self._show_list)
        for b in (self.prev_record, self.back_to_list, self.next_record):
            detail_nav.addWidget(b)
        self.detail_nav = QWidget()
        self.detail_nav.setLayout(detail_nav)
        self.body.addWidget(self.detail_nav)
        self.empty = self.centered("", "subtitle")
        # what to do with it
        self.print_a4 = self.add_button(tr("打印 A4 证明"))
        self.print_slip = self.add_button(tr("打印凭条"))
        self.finish = self.add_button(tr("完成"), "primary")
        self.print_a4.clicked.connect(self._print_a4)
        self.print_slip.clicked.connect(self._print_slip)
        self.finish.clicked.connect(lambda: self._done(False))
        self.answer: dict[str, Any] | None = None
        self.page = 0
        self.record = -1
        self._entries: list[WrapButton] = []
        self._first, self._rows_per_page = 0, 0
        self._measured_for: tuple[int, int, bool] | None = None
        self._capacity = FALLBACK_ROWS
        self._set_view("none")

    # ---- the step ---------------------------------------------------------------------------
    def enter(self, ctx: StepContext) -> None:
        super().enter(ctx)
        self._clear()
        self.title.setText(item_text(ctx.item, "name"))
        self._load()

    def _load(self) -> None:
        ctx = self.ctx
        if ctx is None:
            return
        token, item, fields = ctx.session.platform_token, ctx.item, dict(ctx.results.get("form") or {})
        ctx.run(lambda: ctx.services.query_records(token, item, fields), self._show_answer, self._refused,
                busy=tr("正在查询「{name}」，请稍候……").format(name=item_text(item, "name")))

    def _refused(self, exc: Exception) -> None:
        if self.ctx is None:
            return
        if getattr(exc, "code", None) == "form_invalid" and self.ctx.runner.revisit("form", exc):
            return
        self.ctx.fail(exc, retry=self._load)

    def _show_answer(self, answer: dict[str, Any]) -> None:
        if self.ctx is None:
            return
        self.answer = answer
        rows = answer.get("rows") or []
        self.heading.setText(tr("{title}　共 {n} 条记录").format(title=answer.get("title", ""), n=len(rows)) if rows else answer.get("title", ""))
        shown = "；".join(f"{c['label']}：{c['value']}" for c in answer.get("conditions") or [])
        self.conditions.setText(tr("查询条件：{shown}").format(shown=shown) if shown else "")
        self.conditions.setVisible(bool(shown))
        printable = bool(rows) and bool(answer.get("printable"))
        self.print_slip.setVisible(printable)
        self.print_a4.setVisible(printable and self.ctx.services.has_a4_printer
                                 and self.ctx.session.identity is not None)
        if not rows:
            self.empty.setText(answer.get("message") or messages.text("query.no_rows"))
            self._set_view("empty")
            return
        self._show_page(0)

    # ---- list and detail --------------------------------------------------------------------
    @property
    def narrow(self) -> bool:
        return self.height() > self.width()

    @property
    def page_rows(self) -> int:
        """How many records fit the list's height: measured on the longest entry, so none is cut."""
        if not self.answer or self.list_box.height() < 100:
            return self._rows_per_page or FALLBACK_ROWS
        key = (self.list_box.width(), self.list_box.height(), self.narrow)
        if key != self._measured_for:
            columns, rows = self.answer["columns"], self.answer["rows"]
            longest = max((summary(columns, r, self.narrow) for r in rows), key=len, default="")
            probe = WrapButton(f"{len(rows)}. " + longest, "record", "recordText")
            probe.setParent(self.list_box)
            probe.hide()
            probe.ensurePolished()
            probe.caption.ensurePolished()
            height = probe.heightForWidth(self.list_box.width())
            probe.deleteLater()
            self._capacity = max(1, (self.list_box.height() + SPACING) // (height + SPACING))
            self._measured_for = key
        return self._capacity

    @property
    def pages(self) -> int:
        rows = len((self.answer or {}).get("rows") or [])
        return max(1, -(-rows // self.page_rows))

    def _show_page(self, page: int) -> None:
        if not self.answer:
            return
        self._clear_entries()
        self._set_view("list")
        self.layout().activate()  # the list's height now, before counting what fits in it
        self.page = max(0, min(self.pages - 1, page))
        columns, rows = self.answer["columns"], self.answer["rows"]
        per_page = self._rows_per_page = self.page_rows
        first = self._first = self.page * per_page
        for i, row in enumerate(rows[first:first + per_page], first):
            entry = WrapButton(f"{i + 1}. " + summary(columns, row, self.narrow), "record", "recordText",
                               tr("第 {n} 条记录").format(n=i + 1))
            entry.clicked.connect(lambda _=False, n=i: self._show_record(n))
            self.list_lay.addWidget(entry)
            self._entries.append(entry)
        self.list_lay.addStretch(1)
        self.page_text.setText(tr("第 {n} 页，共 {total} 页").format(n=self.page + 1, total=self.pages))
        self.prev_page.setEnabled(self.page > 0)
        self.next_page.setEnabled(self.page < self.pages - 1)
        self._set_view("list")

    def _show_record(self, index: int) -> None:
        if not self.answer:
            return
        rows = self.answer["rows"]
        self.record = max(0, min(len(rows) - 1, index))
        self._clear_detail()
        for name, value in zip(self.answer["columns"], rows[self.record], strict=False):
            self.detail_rows.add(name, value)
        self.heading.setText(tr("第 {n} 条，共 {total} 条").format(n=self.record + 1, total=len(rows)))
        self.prev_record.setEnabled(self.record > 0)
        self.next_record.setEnabled(self.record < len(rows) - 1)
        self._set_view("detail")

    def _show_list(self) -> None:
        if self.answer:
            self.heading.setText(tr("{title}　共 {n} 条记录").format(title=self.answer.get("title", ""), n=len(self.answer["rows"])))
            self._show_page(self.record // self.page_rows if self.record >= 0 else self.page)

    def _set_view(self, view: str) -> None:
        self.list_box.setVisible(view == "list")
        self.pager.setVisible(view == "list" and self.pages > 1)
        self.detail.setVisible(view == "detail")
        self.detail_nav.setVisible(view == "detail")
        self.empty.setVisible(view == "empty")
        self.finish.setVisible(view != "none")
        if view == "none":
            self.print_a4.hide()
            self.print_slip.hide()

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt API): portrait shows more records a page
        super().resizeEvent(event)
        if self.answer and self.list_box.isVisible() and self._rows_per_page != self.page_rows:
            self._show_page(self._first // self.page_rows)  # keep the first record shown in view

    # ---- printing ---------------------------------------------------------------------------
    def _print_slip(self) -> None:
        ctx, answer = self.ctx, self.answer
        if ctx is None or answer is None:
            return
        receipt = ctx.services.query_receipt(ctx.item, answer, ctx.session.identity)
        ctx.session.results["last_receipt"] = receipt  # 再打印一次 on the result step
        ctx.run(lambda: ctx.services.print_receipt(receipt), lambda _: self._done(True),
                lambda exc: ctx.fail(exc, retry=self._print_slip), busy=tr("正在打印，请稍候……"))

    def _print_a4(self) -> None:
        ctx = self.ctx
        if ctx is None or self.answer is None or ctx.session.identity is None:
            return
        token, item, identity = ctx.session.platform_token, ctx.item, ctx.session.identity
        fields = dict(ctx.results.get("form") or {})

        def work() -> tuple[dict[str, Any], Any]:
            document = ctx.services.issue_certificate(token, item, fields)  # the verifiable 查询结果
            return document, ctx.services.print_document(document, identity, a4=True)

        def printed(out: tuple[dict[str, Any], Any]) -> None:
            document, outcome = out
            if outcome.receipt is not None:
                ctx.session.results["last_receipt"] = outcome.receipt
            self._done(True, document.get("certificate_no"), outcome.fallback, outcome.printer)

        ctx.run(work, printed, lambda exc: ctx.fail(exc, retry=self._print_a4), busy=tr("正在打印 A4 证明，请稍候……"))

    def _done(self, printed: bool, reference: str | None = None, fallback: str = "",
              printer: str = "receipt") -> None:
        if self.ctx is None or self.answer is None:
            return
        rows = len(self.answer.get("rows") or [])
        self.done.emit({"records": rows, "printed": printed, "printer": printer, "reference": reference,
                        "fallback": fallback,
                        "outcome": tr("「{name}」查询完成，共 {n} 条记录。").format(name=item_text(self.ctx.item, "name"), n=rows) if rows
                        else tr("「{name}」未查询到记录。").format(name=item_text(self.ctx.item, "name"))})

    # ---- contract ---------------------------------------------------------------------------
    def values(self) -> list[tuple[str, str]]:
        """The detail view's label/value pairs (tests)."""
        return self.detail_rows.values()

    def prompt(self) -> str:
        if self.answer is not None and not self.answer.get("rows"):
            return self.empty.text()
        return tr("这是查询结果，点一条记录可查看详情；需要的话可以打印。")

    def _clear_entries(self) -> None:
        for entry in self._entries:
            entry.caption.setText("")  # gone now, not only when the event loop deletes the widget
        for item in take_items(self.list_lay):
            w = item.widget()
            if w is not None:
                w.hide()
                w.deleteLater()
        self._entries = []

    def _clear_detail(self) -> None:
        self.detail_rows.clear()

    def _clear(self) -> None:
        self._clear_entries()
        self._clear_detail()
        self.answer, self.page, self.record = None, 0, -1
        self._measured_for, self._rows_per_page = None, 0
        for w in (self.heading, self.conditions, self.empty):
            w.setText("")
        self._set_view("none")

    def clear_personal_data(self) -> None:
        super().clear_personal_data()
        self._clear()
        self.title.setText("")
