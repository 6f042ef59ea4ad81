"""Payments and appointments end to end against the hub's real processes (HTTPS backend behind the
fault proxy, the printer simulator):

- an answer lost on the wire after the platform created the order (the proxy's `drop`): the
  client's retry carries the same Idempotency-Key and gets the same order, and the platform holds
  exactly one;
- a payment completed after the resident left is found again with no session, by order number +
  check code typed on the keypad, and its receipt prints (the printer's full-width ￥);
- a slot that fills while the resident is choosing (the control API's POST /appointments/fill)
  gets the slot_full page, and the next slot is booked.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosk.app import build_kiosk, start_kiosk
from kiosk.config import DEFAULT_CONFIG, load_config
from kiosk.devices.model import DeviceState
from kiosk.services import messages
from kiosk.services.service_desk import ServiceDesk, new_key
from kiosk.ui import find
from kiosk.ui.fonts import load_ui_font

WAIT = 60_000
WAIT_S = WAIT / 1000
ELECTRICITY = "electricity-bill-payment"


def _env(hub, tmp_path: Path) -> dict[str, str]:
    return {**hub.kiosk_env(), "KIOSK_LOG_DIR": str(tmp_path / "log"),
            "KIOSK_BACKEND__OUTBOX_DB": str(tmp_path / "outbox.sqlite3"),
            "KIOSK_BACKEND__CACHE_DB": str(tmp_path / "catalogue.sqlite3"),
            "KIOSK_DEVICES__IDCARD__POLL_INTERVAL_S": "0.1"}


@pytest.fixture
def kiosk(hub, qtbot, tmp_path: Path):
    hub.call("POST", "/reset")
    cfg = load_config(DEFAULT_CONFIG, env=_env(hub, tmp_path))
    load_ui_font()
    k = build_kiosk(cfg)
    qtbot.addWidget(k.window)
    k.window.show_kiosk(windowed=True)
    start_kiosk(k)
    qtbot.waitUntil(lambda: k.runner.home.loaded and bool(k.runner.home.items), timeout=WAIT)
    qtbot.waitUntil(lambda: k.devices.get("idcard").status.state == DeviceState.ONLINE, timeout=WAIT)
    k.runner.settings["payment_poll_s"] = 0.2
    yield k
    k.runner.go_home("test over")
    k.close()


def tap(k, text: str) -> None:
    find.tap_text(k.window, text, timeout_s=WAIT_S)


def wait_screen(k, qtbot, name: str) -> None:
    qtbot.waitUntil(lambda: k.window.current == name, timeout=WAIT)


def type_keys(k, field: str, text: str) -> None:
    tap(k, field)
    for ch in text:
        tap(k, ch)


def start(k, item_id: str) -> None:
    k.runner.start_item(k.runner.home.item_for(item_id))


def newest_receipt(hub) -> dict:
    receipts = hub.call("GET", "/receipts")["receipts"]
    return receipts[-1] if receipts else {"text": ""}


@pytest.mark.e2e
def test_a_lost_answer_is_retried_into_the_same_order(hub, tmp_path: Path) -> None:
    hub.call("POST", "/reset")
    cfg = load_config(DEFAULT_CONFIG, env=_env(hub, tmp_path))
    from kiosk.services.backend_client import BackendClient
    from kiosk.services.signing import load_key

    client = BackendClient(cfg.backend, cfg.kiosk_id, load_key(cfg.backend.key_file), backoff_s=0.05)
    desk = ServiceDesk(client, devices={})  # type: ignore[arg-type]
    try:
        item = next(i for i in desk.catalogue_items() if i["id"] == ELECTRICITY)
        account = hub.call("GET", "/backend/accounts")["lan_yan"]["electricity"]
        due = desk.payment_dues(None, item, account=account)["dues"][0]
        choice = {"due_id": due["due_id"], "account": account}
        key = new_key()
        hub.call("POST", "/backend/mode", {"mode": "drop", "count": 1})  # the order is made, its answer cut off
        order = desk.create_order(None, item, choice, "wechat", key=key)
        dropped = [r for r in hub.call("GET", "/backend/requests")["requests"] if r.get("mode") == "drop"]
        assert dropped, "the proxy never dropped an answer"
        assert hub.call("GET", "/backend/state")["counts"].get("order") == 1
        again = desk.create_order(None, item, choice, "wechat", key=key)  # e.g. the error screen's 重试
        assert again["order_no"] == order["order_no"] and again["check_code"] == order["check_code"]
        assert hub.call("GET", "/backend/state")["counts"].get("order") == 1
        assert desk.lookup_order(order["order_no"], order["check_code"])["status"] == "pending"
    finally:
        hub.call("POST", "/backend/mode", {"mode": "up"})
        desk.close()
        client.close()


@pytest.mark.e2e
def test_a_payment_made_after_leaving_is_found_again_and_printed(hub, kiosk, qtbot) -> None:
    k = kiosk
    account = hub.call("GET", "/backend/accounts")["he_shuifa"]["electricity"]
    start(k, ELECTRICITY)
    tap(k, "开始办理")
    wait_screen(k, qtbot, "dues")
    type_keys(k, "用电户号", account)
    tap(k, "确定")
    find.wait_for_text(k.window, "户名：何**", timeout_s=WAIT_S)
    tap(k, "下一步")
    tap(k, "确认无误")
    tap(k, "微信支付")
    payment = k.runner.steps["payment"]
    qtbot.waitUntil(lambda: payment.state == "waiting", timeout=WAIT)
    order = dict(payment.order)
    assert k.window.watcher.suspended  # the kiosk waits for the phone without counting down
    tap(k, "取消支付")
    qtbot.waitUntil(lambda: payment.state == "stopped", timeout=WAIT)
    tap(k, "打印订单凭条")
    qtbot.waitUntil(lambda: order["check_code"] in newest_receipt(hub)["text"], timeout=WAIT)
    tap(k, "返回首页")
    wait_screen(k, qtbot, "home")
    hub.call("POST", "/backend/payments/paid", {"order_no": order["order_no"]})  # the phone paid later

    start(k, ELECTRICITY)  # anyone with the slip, no identity and no session
    tap(k, "开始办理")
    wait_screen(k, qtbot, "dues")
    tap(k, "补打缴费凭证")
    type_keys(k, "订单号", order["order_no"])
    type_keys(k, "查询码", order["check_code"])
    tap(k, "查询")
    find.wait_for_text(k.window, f"订单 {order['order_no']} 的缴费凭证已打印", timeout_s=WAIT_S)
    text = newest_receipt(hub)["text"]
    assert "电费缴费凭证" in text and f"用电户号：{account}" in text and "￥" in text and "证件号码" not in text
    assert hub.call("GET", "/backend/state")["counts"].get("order") == 1


@pytest.mark.e2e
def test_a_slot_filled_while_choosing_gets_the_slot_full_page(hub, kiosk, qtbot) -> None:
    k = kiosk
    start(k, "notary-appointment")
    tap(k, "开始办理")
    wait_screen(k, qtbot, "identify")
    hub.call("POST", "/idcard/place", {"persona": "huang_xiaomei"})
    try:
        wait_screen(k, qtbot, "form")
        tap(k, "信息无误，下一项")  # the registered phone, pre-filled, is checked first
        tap(k, "委托")  # the last field: the phone was pre-filled and checked
        tap(k, "确定")
        wait_screen(k, qtbot, "slots")
        tap(k, "09:00")
        slot_id = k.runner.steps["slots"].slot_group.checkedButton().property("slot_id")
        hub.call("POST", "/backend/appointments/fill", {"item_id": "notary-appointment", "slot_id": slot_id})
        tap(k, "确认预约")
        find.wait_for_text(k.window, messages.text("appointment.slot_full"), timeout_s=WAIT_S)
        tap(k, "重新选择时段")
        qtbot.waitUntil(lambda: not find.tap_targets(k.window, "09:00"), timeout=WAIT)  # now full
        tap(k, "09:30")
        tap(k, "确认预约")
        find.wait_for_text(k.window, "预约成功", timeout_s=WAIT_S)
        assert hub.call("GET", "/backend/state")["counts"].get("booking") == 1
    finally:
        hub.call("POST", "/idcard/lift")
