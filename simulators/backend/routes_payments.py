"""Payments: dues → order → payment QR payload → status; a documented test hook marks an order paid.

No money moves: the QR payload is shaped like the wallet apps' own payloads and a phone scanning it
does nothing. Tests (and the hub) mark an order paid with POST .../test-paid or the control API.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import date, datetime
from typing import Any, Literal

from fastapi import APIRouter, Path, Query
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
from simulators.personas import Persona, by_id_number

router = APIRouter(prefix="/api/v1/payments", tags=["payments"])

ORDER_TTL_S = 15 * 60
QR_FORMATS = {
    "wechat": "weixin://wxpay/bizpayurl?pr={token}",
    "alipay": "alipays://platformapi/startapp?saId=10000007&qrcode=SIM{token}",
    "unionpay": "upwallet://pay?qrcode=SIM{token}",
}


class Due(BaseModel):
    due_id: str
    label: str
    amount_fen: int


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


def _dues(item: dict[str, Any], payee: Persona, today: date) -> list[Due]:
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


BILL_SOURCES = {"用电户号": ("电费", records.electricity_usage), "用水户号": ("水费", records.utility_bills),
                "燃气用户号": ("燃气费", records.gas_bills)}


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
    if not account:
        raise ApiError(422, "account_required", f"请输入{item['pay'].get('account_label', '户号')}。",
                       "account is required for an item without identity check")
    found = records.persona_by_account(account)
    if found is None:
        raise ApiError(404, "account_not_found", "没有查到这个户号，请核对缴费通知单上的户号。",
                       "no household with this account number")
    return found[0]


@router.get("/dues", response_model=DuesOut, responses=responses(401, 403, 404, 422),
            summary="What can be paid for an item (tiers, bills or assessed amounts)")
def dues(session: OptionalSessionDep, b: BackendDep, item_id: str = Query(min_length=1, max_length=64),
         payer: Literal["self", "household", "other"] = "self",
         payee_id_number: str | None = Query(None, min_length=15, max_length=18),
         account: str | None = Query(None, min_length=1, max_length=32, description="户号 for bill items")) -> DuesOut:
    item = b.item(item_id, "pay")
    payee = _resolve_payee(b, item, session, payer, payee_id_number, account)
    block = item["pay"]
    return DuesOut(item_id=item_id, amount_rule=block["amount_rule"], account_label=block.get("account_label"),
                   payee_name_masked=_masked_name(payee.name), dues=_dues(item, payee, b.now().date()),
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
    payee: str
    payer_name_masked: str
    amount_fen: int
    paid_at: str
    transaction_no: str


class OrderOut(BaseModel):
    order_no: str
    item_id: str
    label: str
    amount_fen: int
    method: Literal["wechat", "alipay", "unionpay"]
    qr_payload: str
    status: Literal["pending", "paid", "expired"]
    created_at: str
    expires_at: str
    receipt: Receipt | None


def _status(b: Backend, doc: dict[str, Any]) -> dict[str, Any]:
    if doc["status"] == "pending" and doc["expires_epoch"] < b.settings.now():
        doc = {**doc, "status": "expired"}
    return doc


def _out(doc: dict[str, Any]) -> OrderOut:
    return OrderOut(**{k: doc.get(k) for k in OrderOut.model_fields})


@router.post("/orders", response_model=OrderOut, responses=responses(401, 403, 404, 409, 422),
             summary="Create a payment order → payment QR payload")
def create_order(body: OrderIn, session: OptionalSessionDep, b: BackendDep,
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
    if block["amount_rule"] == "free_amount":
        amount = body.amount_fen
        if amount is None or not block["min_fen"] <= amount <= block["max_fen"]:
            raise ApiError(422, "amount_invalid",
                           f"缴费金额应在 {block['min_fen'] / 100:.2f} 至 {block['max_fen'] / 100:.2f} 元之间。",
                           f"amount_fen must be within [{block['min_fen']}, {block['max_fen']}]")
        label = f"{amount / 100:.2f}元"
    else:
        due = next((d for d in _dues(item, payee, b.now().date()) if d.due_id == body.due_id), None)
        if due is None:
            raise ApiError(422, "due_invalid", "请选择要缴纳的档次或账单。",
                           f"due_id {body.due_id!r} is not one of this item's dues")
        amount, label = due.amount_fen, due.label
    now = b.settings.now()
    order_no = new_number(b, "DD")
    token = secrets.token_hex(10).upper()
    doc = {"order_no": order_no, "item_id": item["id"], "label": label, "amount_fen": amount,
           "method": body.method, "qr_payload": QR_FORMATS[body.method].format(token=token),
           "status": "pending", "created_at": iso(b.now()), "expires_epoch": now + ORDER_TTL_S,
           "expires_at": iso(datetime.fromtimestamp(now + ORDER_TTL_S, b.now().tzinfo)), "receipt": None,
           "persona_id": session.persona.id if session else None, "payee_id": payee.id, "receipt_title": block["receipt_title"],
           "payee_org": block["payee"]}
    b.storage.put("order", order_no, doc)
    return _out(doc)


OrderNo = Path(min_length=1, max_length=32, pattern=r"^[A-Z0-9]+$")


def _order(b: Backend, order_no: str, persona_id: str | None) -> dict[str, Any]:
    doc = b.storage.get("order", order_no)
    if doc is None or (doc["persona_id"] is not None and doc["persona_id"] != persona_id):
        raise ApiError(404, "order_not_found", "没有找到这笔订单，请返回重新缴费。", f"no order {order_no!r}")
    return _status(b, doc)


@router.get("/orders/{order_no}", response_model=OrderOut, responses=responses(401, 404, 422),
            summary="Order status (the kiosk polls it while the QR is shown)")
def get_order(session: OptionalSessionDep, b: BackendDep, order_no: str = OrderNo) -> OrderOut:
    """Orders made in a session are visible to that person only; account-only orders to anyone."""
    return _out(_order(b, order_no, session.persona.id if session else None))


def mark_paid(b: Backend, order_no: str) -> dict[str, Any] | None:
    """Mark an order paid (test hook and control API). None if there is no such order."""
    doc = b.storage.get("order", order_no)
    if doc is None:
        return None
    doc = _status(b, doc)
    if doc["status"] == "pending":
        payee = next(p for p in _all_personas() if p.id == doc["payee_id"])
        doc["status"] = "paid"
        doc["receipt"] = {"title": doc["receipt_title"], "payee": doc["payee_org"],
                          "payer_name_masked": _masked_name(payee.name), "amount_fen": doc["amount_fen"],
                          "paid_at": iso(b.now()), "transaction_no": "SIM" + secrets.token_hex(8).upper()}
        b.storage.put("order", order_no, doc)
    return {k: doc.get(k) for k in OrderOut.model_fields}


def newest_pending_order(b: Backend) -> str | None:
    """The order number of the newest order still waiting for payment (control API, scenarios)."""
    pending = [d for d in b.storage.find("order") if _status(b, d)["status"] == "pending"]
    return pending[-1]["order_no"] if pending else None


def _all_personas() -> list[Persona]:
    from simulators.personas import load_personas

    return list(load_personas().values())


@router.post("/orders/{order_no}/test-paid", response_model=OrderOut, responses=responses(401, 404, 409, 422),
             summary="TEST HOOK: mark the order paid (stands in for the wallet's payment notice)")
def test_paid(b: BackendDep, order_no: str = OrderNo, idempotency_key: IdempotencyHeader = None) -> OrderOut:
    doc = b.storage.get("order", order_no)
    if doc is None:
        raise ApiError(404, "order_not_found", "没有找到这笔订单，请返回重新缴费。", f"no order {order_no!r}")
    doc = _status(b, doc)
    if doc["status"] == "expired":
        raise ApiError(409, "order_expired", "订单已过期，请重新下单缴费。", f"order {order_no} expired")
    result = mark_paid(b, order_no)
    assert result is not None
    return OrderOut(**result)
