"""Step `dues` (pay): what is owed — a contribution tier, an assessed amount or a bill — and for whom.

Everything comes from the item's `pay` block and the platform's GET /payments/dues:
- identified items: for oneself, or (when `payer_options` allow) for a household member or someone
  else whose ID number is typed on the keypad;
- items without auth methods (水电气): the 户号 typed on the keypad or read from the bill's barcode
  by the scanner; no identity at all;
- dues already paid show as such (nothing is paid twice) with 补打缴费凭证, and the same button
  finds any order again by its number and check code (typed, or the order slip's QR scanned), so a
  payment made after the kiosk stopped waiting still gets its receipt.
The result carries the choice for the payment step and a `summary` (rows for the generic confirm
step) with the amount as `total`.
"""

from __future__ import annotations

import re
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QButtonGroup, QStackedLayout, QVBoxLayout, QWidget

from kiosk.services import lookup_codes, messages
from kiosk.services.form_check import FieldInvalid, check
from kiosk.services.receipts import yuan
from kiosk.ui.button_grid import ButtonGrid
from kiosk.ui.code_entry import CodeEntry, ScanWatch
from kiosk.ui.i18n import item_text, shown, tr
from kiosk.ui.steps import register
from kiosk.ui.steps.base import StepContext, StepScreen
from kiosk.ui.widgets import label, option_button, touch_scroll

PAYERS = {"self": tr("为本人缴费"), "household": tr("为家庭成员缴费"), "other": tr("为他人缴费")}
DIGITS = re.compile(r"\\d\{(\d+),(\d+)\}")
PAYEE_SPEC = {"name": "payee_id_number", "label": tr("被缴费人身份证号"), "type": "id_number", "required": True}


def account_spec(item: dict[str, Any]) -> tuple[str, int, int]:
    """(label, min digits, max digits) of the item's 户号, from its form field's pattern."""
    label_text = item["pay"].get("account_label") or tr("户号")
    field = next((f for f in item.get("form_fields", []) if f.get("label") == label_text), {})
    found = DIGITS.search(field.get("pattern", ""))
    return (label_text, int(found.group(1)), int(found.group(2))) if found else (label_text, 6, 16)


def _page() -> tuple[QWidget, QVBoxLayout]:
    w = QWidget()
    lay = QVBoxLayout(w)
    lay.setContentsMargins(0, 0, 0, 0)
    lay.setSpacing(16)
    return w, lay


@register
class DuesScreen(StepScreen):
    name = "dues"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.pages = QStackedLayout()
        self.body.addLayout(self.pages, 1)
        # payer: for whom
        self.payer_page, lay = _page()
        lay.addStretch(1)
        self.payer_group = QButtonGroup(self)
        self.payer_buttons: dict[str, Any] = {}
        for payer, text in PAYERS.items():
            b = option_button(text)
            self.payer_group.addButton(b)
            self.payer_buttons[payer] = b
            lay.addWidget(b)
            b.clicked.connect(lambda _=False, p=payer: self._choose_payer(p))
        lay.addStretch(2)
        self.pages.addWidget(self.payer_page)
        # payee: the ID number of the person paid for
        self.payee_entry = CodeEntry(tr("请输入被缴费人的身份证号码，最后一位是 X 的请按「X」。"))
        self.payee_field = self.payee_entry.add_field(tr("被缴费人身份证号码"), "id", 18)
        self.pages.addWidget(self.payee_entry)
        # account: the 户号, typed or scanned
        self.account_entry = CodeEntry()
        self.account_field = self.account_entry.add_field(tr("户号"), "digits", 16)
        self.pages.addWidget(self.account_entry)
        # lookup: an order found again by number + check code
        self.lookup_entry = CodeEntry(tr("请输入缴费订单上的订单号和查询码，或把订单上的二维码对准扫码口。"))
        self.order_field = self.lookup_entry.add_field(tr("订单号"), "alnum", 24)
        self.check_field = self.lookup_entry.add_field(tr("查询码"), "digits", 6)
        self.pages.addWidget(self.lookup_entry)
        # list: the dues
        self.list_page, lay = _page()
        self.payee_line = label("", "subtitle")
        self.payee_line.setAlignment(Qt.AlignmentFlag.AlignCenter)
        lay.addWidget(self.payee_line)
        self.dues_grid = ButtonGrid(2, 16)
        lay.addWidget(touch_scroll(self.dues_grid), 1)
        self.list_note = label("", "error")
        self.list_note.setAlignment(Qt.AlignmentFlag.AlignCenter)
        lay.addWidget(self.list_note)
        self.pages.addWidget(self.list_page)
        self.notice = label("", "subtitle")  # what just happened (a receipt reprinted)
        self.notice.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.body.addWidget(self.notice)

        self.back_page = self.add_button(tr("返回上一页"))
        self.back_page.clicked.connect(self._page_back)
        self.reprint = self.add_button(tr("补打缴费凭证"))
        self.next = self.add_button(tr("下一步"), "primary")
        self.reprint.clicked.connect(self._reprint)
        self.next.clicked.connect(lambda: self._action())
        self.scan = ScanWatch(self)
        self.scan.scanned.connect(self._on_scan)
        self.due_group = QButtonGroup(self)
        self.due_group.idToggled.connect(lambda *_: self.list_note.setText(""))
        self.answer: dict[str, Any] | None = None
        self.choice: dict[str, Any] = {}
        self._page_name = ""
        self._before_lookup = ""

    # ---- the step ---------------------------------------------------------------------------
    def enter(self, ctx: StepContext) -> None:
        super().enter(ctx)
        item = ctx.item
        self.title.setText(item_text(item, "name"))
        self.choice, self._page_name = {"payer": "self"}, ""
        label_text, _, longest = account_spec(item)
        self.account_field.setMaxLength(longest)
        self.account_field.setAccessibleName(label_text)
        self.account_entry.captions[0].setText(shown(item, label_text))
        self.account_entry.hint.setText(tr("请输入缴费通知单上的{what}，或把通知单上的条形码对准扫码口。").format(
            what=shown(item, label_text)))
        self.account_entry.hint.show()
        for payer, b in self.payer_buttons.items():
            b.setVisible(payer in item["pay"]["payer_options"])
            b.setChecked(False)
        self._first_page()

    def _first_page(self) -> None:
        ctx = self.ctx
        assert ctx is not None
        if not ctx.item["auth_methods"]:
            self._show("account")
        elif len(ctx.item["pay"]["payer_options"]) > 1:
            self._show("payer")
        else:
            self._fetch()

    def _page_back(self) -> None:
        previous = {"payee": "payer", "lookup": self._before_lookup}.get(self._page_name)
        if previous in ("payer", "payee", "account", "list"):
            self._show(previous)
        else:
            self._first_page()

    def _has_back(self, page: str) -> bool:
        item = self.ctx.item if self.ctx else {}
        choosing = not item.get("auth_methods") or len(item.get("pay", {}).get("payer_options", [])) > 1
        return page in ("payee", "lookup") or (page == "list" and choosing)

    def _show(self, page: str) -> None:
        again = page == self._page_name  # shown again (e.g. after a refusal): the keypad stays where it was
        self._page_name = page
        self.notice.setText("")
        self.back_page.setVisible(self._has_back(page))
        self.scan.stop()
        widget = {"payer": self.payer_page, "payee": self.payee_entry, "account": self.account_entry,
                  "lookup": self.lookup_entry, "list": self.list_page}[page]
        self.pages.setCurrentWidget(widget)
        self.next.setVisible(page in ("payee", "account", "lookup", "list"))
        self.next.setEnabled(True)  # the list disables it when nothing is left to pay
        self.next.setText({"lookup": tr("查询"), "list": tr("下一步")}.get(page, tr("确定")))
        self.reprint.setVisible(page != "lookup")
        subtitle = {"payer": tr("请选择为谁缴费"), "payee": tr("请输入被缴费人的身份证号码"),
                    "account": tr("请输入或扫描户号"), "lookup": tr("补打缴费凭证"), "list": tr("请选择要缴纳的费用")}[page]
        self.title.setText(tr("{item}：{step}").format(item=item_text(self.ctx.item, "name") if self.ctx else "",
                                                       step=subtitle))
        if page in ("payee", "account", "lookup") and not again:
            entry = {"payee": self.payee_entry, "account": self.account_entry, "lookup": self.lookup_entry}[page]
            entry.start()
        if page in ("account", "lookup") and self.ctx is not None:
            self.scan.start(self.ctx.devices)

    def _action(self) -> None:
        {"payee": self._payee_typed, "account": self._account_typed, "lookup": self._lookup_typed,
         "list": self._due_chosen}.get(self._page_name, lambda: None)()

    def leave(self) -> None:
        self.scan.stop()

    def prompt(self) -> str:
        return {"payer": tr("请选择为谁缴费。"), "payee": tr("请用下方数字键输入被缴费人的身份证号码。"),
                "account": tr("请输入户号，或扫描缴费通知单上的条形码。"), "lookup": tr("请输入订单号和查询码，或扫描订单上的二维码。"),
                "list": tr("请选择要缴纳的费用，再点下一步。")}.get(self._page_name, tr("请选择要缴纳的费用。"))

    # ---- who and which account --------------------------------------------------------------
    def _choose_payer(self, payer: str) -> None:
        self.choice = {"payer": payer}
        if payer == "self":
            self._fetch()
        else:
            self._show("payee")

    def _payee_typed(self) -> None:
        assert self.ctx is not None
        spec = next((f for f in self.ctx.item.get("form_fields", []) if f["type"] == "id_number"), PAYEE_SPEC)
        try:
            number = check(spec, self.payee_entry.values()[0])
        except FieldInvalid as exc:
            self.payee_entry.error.setText(messages.text(exc.code, **{
                **exc.params, "label": shown(self.ctx.item, str(exc.params.get("label", "")))}))
            return
        self.choice["payee_id_number"] = number
        self._fetch()

    def _account_typed(self, code: str | None = None) -> None:
        assert self.ctx is not None
        label_text, shortest, longest = account_spec(self.ctx.item)
        text = code if code is not None else self.account_entry.values()[0]
        account = lookup_codes.account_code(text)
        if account is None or not shortest <= len(account) <= longest:
            self.account_entry.error.setText(messages.text("pay.account_format", label=shown(self.ctx.item, label_text),
                                                           min=shortest, max=longest))
            return
        self.account_field.setText(account)
        self.choice = {"payer": "self", "account": account}
        self._fetch()

    def _on_scan(self, code: str) -> None:
        if self._page_name == "account":
            self._account_typed(code)
        elif self._page_name == "lookup":
            found = lookup_codes.order_code(code)
            if found is None:
                self.lookup_entry.error.setText(messages.text("pay.code_unreadable"))
                return
            self.order_field.setText(found[0])
            self.check_field.setText(found[1])
            self._lookup(*found)

    # ---- the dues ---------------------------------------------------------------------------
    def _fetch(self) -> None:
        ctx = self.ctx
        if ctx is None:
            return
        token, choice = ctx.session.platform_token, dict(self.choice)
        ctx.run(lambda: ctx.services.payment_dues(token, ctx.item, payer=choice.get("payer", "self"),
                                                  payee_id_number=choice.get("payee_id_number"),
                                                  account=choice.get("account")),
                self._show_dues, self._dues_refused, busy=tr("正在查询应缴费用，请稍候……"))

    def _dues_refused(self, exc: Exception) -> None:
        """A wrong 户号 or ID number goes back to its page with the platform's words; the rest fails."""
        code = getattr(exc, "code", None)
        page = {"account_not_found": "account", "payee_not_found": "payee"}.get(str(code))
        if page is None or self.ctx is None:
            if self.ctx is not None:
                self.ctx.fail(exc, retry=self._fetch)
            return
        self._show(page)
        entry = self.account_entry if page == "account" else self.payee_entry
        entry.error.setText(messages.for_error(exc))

    def _show_dues(self, answer: dict[str, Any]) -> None:
        if self.ctx is None:
            return
        self.answer = answer
        self._clear_dues()
        who = answer.get("payee_name_masked", "")
        account = self.choice.get("account")
        item = self.ctx.item
        self.payee_line.setText(tr("{label}：{account}　户名：{name}").format(
            label=shown(item, answer.get("account_label") or "") or tr("户号"), account=account, name=who) if account
                                else tr("被缴费人：{name}").format(name=who))
        dues = answer.get("dues", [])
        open_dues = [d for d in dues if not d.get("paid")]
        for i, due in enumerate(dues):
            paid = bool(due.get("paid"))
            text = f"{shown(item, due['label'])}　{yuan(due['amount_fen'])}" + (tr("　（已缴）") if paid else "")
            b = option_button(text)
            b.setAccessibleName(due["label"])
            b.setEnabled(not paid)
            self.due_group.addButton(b, i)
            self.dues_grid.add(b)
        if len(open_dues) == 1:
            self.due_group.button(dues.index(open_dues[0])).setChecked(True)
        note = ""
        if not dues:
            note = messages.text("pay.nothing_due")
        elif not open_dues:
            note = messages.text("pay.already_paid")
        self.list_note.setText(note)
        self._show("list")
        self.next.setEnabled(bool(open_dues))

    def _due_chosen(self) -> None:
        ctx, answer = self.ctx, self.answer
        if ctx is None or answer is None:
            return
        chosen = self.due_group.checkedId()
        if chosen < 0:
            self.list_note.setText(messages.text("pay.choose_due"))
            return
        due = answer["dues"][chosen]
        item = ctx.item
        # The summary is for the confirm page only: the item's own text in the session's language.
        rows: list[list[str]] = [[tr("缴费项目"), item_text(item, "name")]]
        if self.choice.get("account"):
            rows += [[shown(item, answer.get("account_label") or "") or tr("户号"), self.choice["account"]],
                     [tr("户名"), answer.get("payee_name_masked", "")]]
        else:
            rows.append([tr("被缴费人"), answer.get("payee_name_masked", "")])
            number = self.choice.get("payee_id_number") or (
                ctx.session.identity.id_number if ctx.session.identity is not None else "")
            if number:
                rows.append([tr("身份证号码"), number, "id_number"])
        rows += [[tr("缴费内容"), shown(item, due["label"])], [tr("收款单位"), shown(item, item["pay"]["payee"])]]
        self.done.emit({**self.choice, "due_id": due["due_id"], "label": due["label"],
                        "amount_fen": due["amount_fen"], "summary": rows, "total": [tr("应缴金额"), yuan(due["amount_fen"])]})

    # ---- an order found again ---------------------------------------------------------------
    def _reprint(self) -> None:
        """补打缴费凭证: a paid due shown here prints at once; otherwise ask for the order's number."""
        paid = next((d["paid"] for d in (self.answer or {}).get("dues", []) if d.get("paid")), None)
        if paid is not None and self._page_name == "list":
            self._lookup(paid["order_no"], paid["check_code"])
            return
        self._before_lookup = self._page_name
        self.lookup_entry.clear()
        self._show("lookup")

    def _lookup_typed(self) -> None:
        order_no, check_code = self.lookup_entry.values()
        if not lookup_codes.ORDER_NO.fullmatch(order_no) or not lookup_codes.CHECK_CODE.fullmatch(check_code):
            self.lookup_entry.error.setText(messages.text("pay.lookup_format"))
            return
        self._lookup(order_no, check_code)

    def _lookup(self, order_no: str, check_code: str) -> None:
        ctx = self.ctx
        if ctx is None:
            return
        ctx.run(lambda: ctx.services.lookup_order(order_no, check_code), self._found, self._not_found,
                busy=tr("正在查询缴费订单，请稍候……"))

    def _not_found(self, exc: Exception) -> None:
        if self.ctx is None:
            return
        if getattr(exc, "code", None) in ("order_not_found", "lookup_locked"):
            self._show("lookup")
            self.lookup_entry.error.setText(messages.for_error(exc))
            return
        self.ctx.fail(exc)

    def _found(self, order: dict[str, Any]) -> None:
        ctx = self.ctx
        if ctx is None:
            return
        if order["status"] != "paid" or not order.get("receipt"):
            self._show("lookup")
            self.lookup_entry.error.setText(messages.text(
                "pay.lookup_unpaid" if order["status"] == "pending" else "pay.lookup_expired"))
            return
        identity = ctx.session.identity
        receipt = ctx.services.payment_receipt(order, identity.proxy if identity is not None else None)
        ctx.results["last_receipt"] = receipt

        def printed(_: Any) -> None:
            self.notice.setText(messages.text("pay.reprinted", order_no=order["order_no"]))

        ctx.run(lambda: ctx.services.print_receipt(receipt), printed,
                lambda exc: ctx.fail(exc, retry=lambda: self._found(order)), busy=tr("正在打印缴费凭证，请稍候……"))

    # ---- personal data ----------------------------------------------------------------------
    def _clear_dues(self) -> None:
        for b in self.due_group.buttons():
            self.due_group.removeButton(b)
            b.setText("")
        self.dues_grid.clear()

    def clear_personal_data(self) -> None:
        super().clear_personal_data()
        self.scan.stop()
        self._clear_dues()
        for entry in (self.payee_entry, self.account_entry, self.lookup_entry):
            entry.clear()
        self.payee_line.setText("")
        self.list_note.setText("")
        self.notice.setText("")
        self.answer, self.choice = None, {}
