"""Payments: dues → order → payment QR payload → status; a documented test hook marks an order paid.

No money moves: the QR payload is shaped like the wallet apps' own payloads and a phone scanning it
does nothing. Tests (and the hub) mark an order paid with POST .../test-paid or the control API.

Nothing is charged twice:
- order creation is idempotent (the Idempotency-Key middleware, security.py): a retry after a lost
  answer gets the same order back;
- a due is paid once: what a paid order covers (a bill, an assessed amount, this year's tier) is
  marked `paid` in GET /dues and a new order for it is refused (409 `already_paid`);
- a new order for the same due closes the older pending one (status `closed`: the wallet refuses
  it), so switching the payment method leaves one payable QR.
A payment that completes after the kiosk stopped waiting is found again without a session by
order number + check code (GET /payments/lookup): the cancel slip and the payment screen show both,
and the wallet's payment record shows them in the order's description.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import date, datetime
from typing import Any, Literal

from fastapi import APIRouter, Path, Query, Request
from pydantic import BaseModel, Field

from simulators.backend import records
from simulators.backend.context import (
    Backend,
    BackendDep,
    IdempotencyHeader,
    OptionalSessionDep,
    Session,
    check_auth_method,
    iso,
    new_number,
)
from simulators.backend.errors import ApiError, responses
from simulators.personas import Persona, by_id_number, get_persona

router = APIRouter(prefix="/api/v1/payments", tags=["payments"])

ORDER_TTL_S = 15 * 60
LOOKUP_TRIES = 5  # wrong check codes per order before its lookup is locked
QR_FORMATS = {
    "wechat": "weixin://wxpay/bizpayurl?pr={token}",
    "alipay": "alipays://platformapi/startapp?saId=10000007&qrcode=SIM{token}",
    "unionpay": "upwallet://pay?qrcode=SIM{token}",
}
OrderStatus = Literal["pending", "paid", "expired", "closed"]


class PaidRef(BaseModel):
    order_no: str
    check_code: str = Field(description="with order_no, finds the order again (GET /payments/lookup)")


class Due(BaseModel):
    due_id: str
    label: str
    amount_fen: int
    paid: PaidRef | None = Field(None, description="already paid by this order: nothing to pay again")


class DuesOut(BaseModel):
    item_id: str
    amount_rule: str
    account_label: str | None
    payee_name_masked: str
    dues: list[Due] = Field(description="pick one; empty for free_amount (the resident types the amount)")
    min_fen: int | None = None
    max_fen: int | None = None


def _masked_name(name: str) -> str:
    return name[:1] + "*" * (len(name) - 1)


def _masked_id(id_number: str) -> str:
    return id_number[:4] + "*" * (len(id_number) - 8) + id_number[-4:]


def _payee(session_persona: Persona, payer: str, payee_id_number: str | None) -> Persona:
    if payer == "self" or not payee_id_number:
        if payer != "self":
            raise ApiError(422, "payee_required", "请填写被缴费人的身份证号码。",
                           "payee_id_number is required when payer is household or other")
        return session_persona
    p = by_id_number(payee_id_number)
    if p is None:
        raise ApiError(404, "payee_not_found", "没有查到被缴费人的参保信息，请核对身份证号码。",
                       "no person with this payee_id_number")
    return p


def _raw_dues(item: dict[str, Any], payee: Persona, today: date) -> list[Due]:
    block = item["pay"]
    if block["amount_rule"] in ("tiers", "fixed"):
        return [Due(due_id=f"opt-{i}", label=o["label"], amount_fen=o["amount_fen"])
                for i, o in enumerate(block["options"])]
    if block["amount_rule"] == "bill":
        return _bills(block.get("account_label", ""), payee, today)
    if block["amount_rule"] == "assessed":
        # a deterministic assessed amount per (item, payee): the platform's figure, not the kiosk's
        seed = int(hashlib.sha256(f"{item['id']}/{payee.id}".encode()).hexdigest()[:8], 16)
        amount = 38000 if "medical" in item["id"] else 5000 + seed % 95000
        return [Due(due_id=f"assessed-{today.year + 1}", label=f"{today.year + 1}年度应缴", amount_fen=amount)]
    return []


def _period(item: dict[str, Any], payee: Persona, due_id: str, today: date) -> str:
    """What one payment covers: a tier is this year's contribution (one tier a year), a bill or an
    assessed amount is itself."""
    what = str(today.year) if item["pay"]["amount_rule"] in ("tiers", "fixed") else due_id
    return f"{item['id']}/{payee.id}/{what}"


def _dues(b: Backend, item: dict[str, Any], payee: Persona) -> list[Due]:
    today = b.now().date()
    out = []
    for due in _raw_dues(item, payee, today):
        paid = _paid_order(b, _period(item, payee, due.due_id, today))
        if paid is not None:
            due = due.model_copy(update={"paid": PaidRef(order_no=paid["order_no"], check_code=paid["check_code"])})
        out.append(due)
    return out


def _paid_order(b: Backend, period: str) -> dict[str, Any] | None:
    return next(iter(b.storage.find("order", period=period, status="paid")), None)


BILL_SOURCES = {"用电户号": ("电费", records.electricity_usage), "用水户号": ("水费", records.utility_bills),
                "燃气用户号": ("燃气费", records.gas_bills)}
ACCOUNT_UTILITY = {"用电户号": "electricity", "用水户号": "water", "燃气用户号": "gas"}


def _bills(account_label: str, payee: Persona, today: date) -> list[Due]:
    """Unpaid bills: utility bills by account, or unpaid traffic fines by 处罚决定书编号."""
    if account_label in BILL_SOURCES:
        what, source = BILL_SOURCES[account_label]
        return [Due(due_id=f"bill-{r['账期']}", label=f"{r['账期']} {what}", amount_fen=round(float(r["金额"]) * 100))
                for r in source(payee, today, 12) if r["缴费状态"] == "未缴"]
    if account_label == "处罚决定书编号":
        return [Due(due_id=f"4402{r['违法时间'][:10].replace('-', '')}{i:04d}",
                    label=f"{r['违法时间'][:10]} {r['违法行为']}", amount_fen=round(float(r["罚款金额"]) * 100))
                for i, r in enumerate(records.traffic_violations(payee, today, 12)) if r["处理状态"] == "未处理"]
    return []


def _resolve_payee(b: Backend, item: dict[str, Any], session: Session | None, payer: str,
                   payee_id_number: str | None, account: str | None) -> Persona:
    """Items with auth methods need a session; account-only items (水电气) find the bill by account."""
    if item["auth_methods"]:
        if session is None:
            raise ApiError(401, "session_required", "请先刷身份证、社保卡或扫描电子身份证核验身份。",
                           f"item {item['id']} needs an identified session")
        check_auth_method(item, session)
        return _payee(session.persona, payer, payee_id_number)
    label = item["pay"].get("account_label", "户号")
    if not account:
        raise ApiError(422, "account_required", f"请输入{label}。",
                       "account is required for an item without identity check")
    found = records.persona_by_account(account)
    if found is None or ACCOUNT_UTILITY.get(label, found[1]) != found[1]:
        raise ApiError(404, "account_not_found", f"没有查到这个{label}，请核对缴费通知单上的户号。",
                       f"no household with this account number for item {item['id']}")
    return found[0]


@router.get("/dues", response_model=DuesOut, responses=responses(401, 403, 404, 422),
            summary="What can be paid for an item (tiers, bills or assessed amounts); paid ones say so")
def dues(session: OptionalSessionDep, b: BackendDep, item_id: str = Query(min_length=1, max_length=64),
         payer: Literal["self", "household", "other"] = "self",
         payee_id_number: str | None = Query(None, min_length=15, max_length=18),
         account: str | None = Query(None, min_length=1, max_length=32, description="户号 for bill items")) -> DuesOut:
    item = b.item(item_id, "pay")
    payee = _resolve_payee(b, item, session, payer, payee_id_number, account)
    block = item["pay"]
    return DuesOut(item_id=item_id, amount_rule=block["amount_rule"], account_label=block.get("account_label"),
                   payee_name_masked=_masked_name(payee.name), dues=_dues(b, item, payee),
                   min_fen=block.get("min_fen"), max_fen=block.get("max_fen"))


class OrderIn(BaseModel):
    item_id: str = Field(min_length=1, max_length=64)
    method: Literal["wechat", "alipay", "unionpay"]
    payer: Literal["self", "household", "other"] = "self"
    payee_id_number: str | None = Field(None, min_length=15, max_length=18)
    due_id: str | None = Field(None, min_length=1, max_length=64, description="from GET /payments/dues")
    amount_fen: int | None = Field(None, ge=1, description="only for free_amount items")
    account: str | None = Field(None, min_length=1, max_length=32, description="户号 for bill items")


class Receipt(BaseModel):
    title: str
    item_name: str
    payee: str = Field(description="who receives the money (the collecting body)")
    payer_name_masked: str = Field(description="the person paid for (被缴费人 / 户名), masked")
    payer_id_masked: str | None = Field(description="their ID number, masked; None for account-only bills")
    account: str | None = Field(description="户号 of an account-only bill")
    account_label: str | None
    label: str = Field(description="what was paid: the tier, bill period or assessment")
    amount_fen: int
    paid_at: str
    transaction_no: str


class OrderOut(BaseModel):
    order_no: str
    check_code: str = Field(description="6 digits; with order_no, finds the order again without a session")
    lookup_qr: str = Field(description="what the cancel slip's QR carries (order_no and check_code)")
    item_id: str
    label: str
    amount_fen: int
    method: Literal["wechat", "alipay", "unionpay"]
    qr_payload: str
    status: OrderStatus = Field(description="closed: replaced by a newer order for the same due, cannot be paid")
    created_at: str
    expires_at: str
    expires_in_s: int = Field(description="seconds until a pending order expires (0 otherwise), as of this answer")
    receipt: Receipt | None


def _status(b: Backend, doc: dict[str, Any]) -> dict[str, Any]:
    if doc["status"] == "pending" and doc["expires_epoch"] < b.settings.now():
        doc = {**doc, "status": "expired"}
    return doc


def _out(b: Backend, doc: dict[str, Any]) -> OrderOut:
    doc = _status(b, doc)
    left = max(0, int(doc["expires_epoch"] - b.settings.now())) if doc["status"] == "pending" else 0
    return OrderOut(expires_in_s=left, **{k: doc.get(k) for k in OrderOut.model_fields if k != "expires_in_s"})


def lookup_qr(request: Request, order_no: str, check_code: str) -> str:
    return f"{str(request.base_url).rstrip('/')}/pay/lookup?order_no={order_no}&check={check_code}"


@router.post("/orders", response_model=OrderOut, responses=responses(401, 403, 404, 409, 422),
             summary="Create a payment order → payment QR payload (closes an older pending order for the same due)")
def create_order(body: OrderIn, session: OptionalSessionDep, b: BackendDep, request: Request,
                 idempotency_key: IdempotencyHeader = None) -> OrderOut:
    item = b.item(body.item_id, "pay")
    block = item["pay"]
    if body.method not in item["payment_methods"]:
        raise ApiError(422, "payment_method_not_allowed", "这个事项不支持该支付方式，请选择其他方式。",
                       f"item {item['id']} accepts {item['payment_methods']}")
    if body.payer not in block["payer_options"]:
        raise ApiError(422, "payer_not_allowed", "这个事项不能为他人缴费。",
                       f"item {item['id']} allows payer {block['payer_options']}")
    payee = _resolve_payee(b, item, session, body.payer, body.payee_id_number, body.account)
    today = b.now().date()
    if block["amount_rule"] == "free_amount":
        amount = body.amount_fen
        if amount is None or not block["min_fen"] <= amount <= block["max_fen"]:
            raise ApiError(422, "amount_invalid",
                           f"缴费金额应在 {block['min_fen'] / 100:.2f} 至 {block['max_fen'] / 100:.2f} 元之间。",
                           f"amount_fen must be within [{block['min_fen']}, {block['max_fen']}]")
        label, period = f"{amount / 100:.2f}元", None
    else:
        due = next((d for d in _dues(b, item, payee) if d.due_id == body.due_id), None)
        if due is None:
            raise ApiError(422, "due_invalid", "请选择要缴纳的档次或账单。",
                           f"due_id {body.due_id!r} is not one of this item's dues")
        if due.paid is not None:
            raise ApiError(409, "already_paid", "这笔费用已经缴纳，无需重复缴费；如需凭证，请点「补打缴费凭证」。",
                           f"due {due.due_id} is paid by order {due.paid.order_no}")
        amount, label, period = due.amount_fen, due.label, _period(item, payee, due.due_id, today)
    if period is not None:  # one payable order per due: the older QR stops working
        for old in b.storage.find("order", period=period, status="pending"):
            b.storage.put("order", old["order_no"], {**old, "status": "closed"})
    now = b.settings.now()
    order_no = new_number(b, "DD")
    check_code = f"{secrets.randbelow(10**6):06d}"
    token = secrets.token_hex(10).upper()
    account = body.account.strip().upper() if body.account and not item["auth_methods"] else None
    doc = {"order_no": order_no, "check_code": check_code, "lookup_qr": lookup_qr(request, order_no, check_code),
           "item_id": item["id"], "label": label, "amount_fen": amount,
           "method": body.method, "qr_payload": QR_FORMATS[body.method].format(token=token),
           "status": "pending", "created_at": iso(b.now()), "expires_epoch": now + ORDER_TTL_S,
           "expires_at": iso(datetime.fromtimestamp(now + ORDER_TTL_S, b.now().tzinfo)), "receipt": None,
           "persona_id": session.persona.id if session else None, "payee_id": payee.id, "period": period,
           "account": account, "lookup_failures": 0,
           # what the wallet's payment record shows the resident: enough to find the order again
           "wallet_description": f"{item['name']} 订单号{order_no} 查询码{check_code}"}
    b.storage.put("order", order_no, doc)
    return _out(b, doc)


OrderNo = Path(min_length=1, max_length=32, pattern=r"^[A-Z0-9]+$")


def _order(b: Backend, order_no: str, persona_id: str | None) -> dict[str, Any]:
    doc = b.storage.get("order", order_no)
    if doc is None or (doc["persona_id"] is not None and doc["persona_id"] != persona_id):
        raise ApiError(404, "order_not_found", "没有找到这笔订单，请返回重新缴费。", f"no order {order_no!r}")
    return doc


@router.get("/lookup", response_model=OrderOut, responses=responses(404, 422, 429),
            summary="An order found again without a session: order number + check code (e.g. paid after the "
                    "kiosk stopped waiting)")
def lookup_order(b: BackendDep, order_no: str = Query(min_length=1, max_length=32, pattern=r"^[A-Z0-9]+$"),
                 check: str = Query(min_length=6, max_length=6, pattern=r"^\d{6}$",
                                    description="the order's check_code")) -> OrderOut:
    doc = b.storage.get("order", order_no)
    not_found = ApiError(404, "order_not_found", "没有找到这笔订单，请核对订单号和查询码。",
                         f"no order {order_no!r} with this check code")
    if doc is None:
        raise not_found
    if doc.get("lookup_failures", 0) >= LOOKUP_TRIES:
        raise ApiError(429, "lookup_locked", "这笔订单的查询码输错次数过多，已暂停自助查询，请凭付款记录到服务窗口查询。",
                       f"order {order_no}: {LOOKUP_TRIES} wrong check codes")
    if not secrets.compare_digest(doc["check_code"], check):
        b.storage.put("order", order_no, {**doc, "lookup_failures": doc.get("lookup_failures", 0) + 1})
        raise not_found
    return _out(b, doc)


@router.get("/orders/{order_no}", response_model=OrderOut, responses=responses(401, 404, 422),
            summary="Order status (the session holder's orders; account-only orders to anyone)")
def get_order(session: OptionalSessionDep, b: BackendDep, order_no: str = OrderNo) -> OrderOut:
    """Orders made in a session are visible to that person only; account-only orders to anyone."""
    return _out(b, _order(b, order_no, session.persona.id if session else None))


def _receipt(b: Backend, doc: dict[str, Any]) -> dict[str, Any]:
    item = b.by_id[doc["item_id"]]
    payee = get_persona(doc["payee_id"])
    account = doc.get("account")
    return {"title": item["pay"]["receipt_title"], "item_name": item["name"], "payee": item["pay"]["payee"],
            "payer_name_masked": _masked_name(payee.name),
            "payer_id_masked": None if account else _masked_id(payee.id_number),
            "account": account, "account_label": item["pay"].get("account_label") if account else None,
            "label": doc["label"], "amount_fen": doc["amount_fen"], "paid_at": iso(b.now()),
            "transaction_no": "SIM" + secrets.token_hex(8).upper()}


def mark_paid(b: Backend, order_no: str) -> dict[str, Any] | None:
    """Mark a pending order paid (test hook and control API); a paid, expired or closed one stays as
    it is. None if there is no such order."""
    doc = b.storage.get("order", order_no)
    if doc is None:
        return None
    doc = _status(b, doc)
    if doc["status"] == "pending":
        doc["status"] = "paid"
        doc["receipt"] = _receipt(b, doc)
        b.storage.put("order", order_no, doc)
    return _out(b, doc).model_dump()


def newest_pending_order(b: Backend) -> str | None:
    """The order number of the newest order still waiting for payment (control API, scenarios)."""
    pending = [d for d in b.storage.find("order") if _status(b, d)["status"] == "pending"]
    return pending[-1]["order_no"] if pending else None


@router.post("/orders/{order_no}/test-paid", response_model=OrderOut, responses=responses(401, 404, 409, 422),
             summary="TEST HOOK: mark the order paid (stands in for the wallet's payment notice)")
def test_paid(b: BackendDep, order_no: str = OrderNo, idempotency_key: IdempotencyHeader = None) -> OrderOut:
    doc = b.storage.get("order", order_no)
    if doc is None:
        raise ApiError(404, "order_not_found", "没有找到这笔订单，请返回重新缴费。", f"no order {order_no!r}")
    doc = _status(b, doc)
    if doc["status"] == "expired":
        raise ApiError(409, "order_expired", "订单已过期，请重新下单缴费。", f"order {order_no} expired")
    if doc["status"] == "closed":
        raise ApiError(409, "order_closed", "这笔订单已被新订单取代，请使用最新的支付二维码。",
                       f"order {order_no} was closed by a newer order for the same due")
    result = mark_paid(b, order_no)
    assert result is not None
    return OrderOut(**result)
