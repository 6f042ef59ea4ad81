"""长者模式 on the apply, pay, appointment, queue and progress screens, measured like the rest
(tests/ui/test_elderly_screens.py, tests/ui/measure.py): every page of each journey, in both
orientations, keeps its glyphs ≥ 32 px, its targets ≥ 96 px and its contrast ≥ 7:1, and nothing on
it is cut off. One journey per test, each in its own window."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QThreadPool

from kiosk.services.backend_types import BackendError
from kiosk.ui import countdown
from tests.ui.fake_desk import BY_ID
from tests.ui.journeys import enter_at, screen, tap
from tests.ui.test_elderly_screens import measure, report

SIZES = pytest.mark.parametrize("size", [(1920, 1080), (1080, 1920)], ids=["landscape", "portrait"])
DEATH_BENEFIT = BY_ID["resident-pension-death-benefit"]  # every form field kind, 容缺, e-licences
DEATH_BENEFIT_FORM = {"deceased_id_number": "440204194203080028", "death_date": "2026-01-05",
                      "relation": "其他继承人", "bank_account": "6222021234567890", "phone": "13827510261"}


@pytest.fixture
def elderly(ui, qtbot, qapp, request):
    size = request.node.callspec.params["size"]
    ui.window.resize(*size)
    tap(ui, "长者模式")
    qtbot.waitUntil(lambda: ui.runner.home.portrait == (size[1] > size[0]), timeout=5_000)
    yield ui
    ui.runner.go_home("test over")  # late answers are dropped by the runner from here
    QThreadPool.globalInstance().waitForDone(10_000)
    qapp.processEvents()
    countdown.stop_all()


def step_in(ui, qtbot, monkeypatch, item, kind: str, fields=None):
    """Start `item` at step `kind` for chen_guiying (journeys.enter_at) and wait for its screen."""
    enter_at(ui, monkeypatch, item, kind, "chen_guiying", fields)
    screen(ui, qtbot, kind)
    return ui.runner.steps[kind]


def passes(size, seen: dict[str, list[str]]) -> None:
    print(report(size, seen))
    assert not any(seen.values()), report(size, seen)


@SIZES
def test_every_form_page(elderly, qtbot, monkeypatch, size) -> None:
    ui = elderly
    form = step_in(ui, qtbot, monkeypatch, DEATH_BENEFIT, "form")
    qtbot.waitUntil(lambda: len(form.pages) == len(DEATH_BENEFIT["form_fields"]), timeout=10_000)
    seen: dict[str, list[str]] = {}
    if form.check_page is not None:
        form._show(form.check_page)
        measure(ui, qtbot, "form: check", seen)
    for page in form.pages:
        form._show(page)
        measure(ui, qtbot, f"form: {page.spec['name']}", seen)
        if page.kind == "date":  # then the days (the second stage where the picker is staged)
            page.month_group.button(1).click()
            measure(ui, qtbot, f"form: {page.spec['name']}, 1月 chosen", seen)
            assert page.day_group.button(5).isVisible()
            if size == (1920, 1080):
                assert page.staged and not page.year_row.isVisible()  # one decision a screen
                tap(ui, "改月份")
                assert page.months.isVisible() and page.month_group.checkedId() == 1
    passes(size, seen)


@SIZES
def test_materials_and_confirm(elderly, qtbot, monkeypatch, size) -> None:
    ui = elderly
    materials = step_in(ui, qtbot, monkeypatch, DEATH_BENEFIT, "materials", DEATH_BENEFIT_FORM)
    qtbot.waitUntil(lambda: len(materials.pages) == len(DEATH_BENEFIT["materials"]), timeout=10_000)
    seen: dict[str, list[str]] = {}
    for n, page in enumerate(materials.pages):
        materials._show_page(n)
        measure(ui, qtbot, f"materials: {page.material['name']}", seen)
    ui.runner._go(ui.runner.plan.kinds.index("confirm"))
    screen(ui, qtbot, "confirm")
    measure(ui, qtbot, "confirm", seen)
    passes(size, seen)


@SIZES
def test_dues_confirm_and_payment(elderly, qtbot, monkeypatch, size) -> None:
    ui, item = elderly, BY_ID["resident-pension-payment"]
    dues = step_in(ui, qtbot, monkeypatch, item, "dues")
    seen: dict[str, list[str]] = {}
    measure(ui, qtbot, "dues: whose", seen)
    tap(ui, "为本人缴费")
    qtbot.waitUntil(lambda: dues.answer is not None and bool(dues.due_group.buttons()), timeout=10_000)
    measure(ui, qtbot, "dues: list", seen)
    dues.due_group.button(0).click()
    tap(ui, "下一步")
    screen(ui, qtbot, "confirm")
    measure(ui, qtbot, "pay: confirm", seen)
    tap(ui, "确认无误")
    screen(ui, qtbot, "payment")
    measure(ui, qtbot, "payment: methods", seen)
    payment = ui.runner.steps["payment"]
    tap(ui, "微信支付")
    qtbot.waitUntil(lambda: payment.state == "waiting", timeout=10_000)
    measure(ui, qtbot, "payment: waiting", seen)
    ui.desk.fail_next("lookup_order", BackendError("offline", "fake platform down"))
    qtbot.waitUntil(lambda: payment.wait_status.isVisible(), timeout=10_000)  # 网络不稳定，正在继续查询…
    measure(ui, qtbot, "payment: waiting, the platform unreachable", seen)
    tap(ui, "取消支付")
    qtbot.waitUntil(lambda: payment.state == "stopped", timeout=10_000)
    measure(ui, qtbot, "payment: stopped", seen)
    passes(size, seen)


@SIZES
def test_appointment_slots(elderly, qtbot, monkeypatch, size) -> None:
    ui, item = elderly, BY_ID["hrss-window-appointment"]
    slots = step_in(ui, qtbot, monkeypatch, item, "slots", {"service": "养老保险", "phone": "13827510261"})
    qtbot.waitUntil(lambda: slots.page == "choose", timeout=10_000)
    seen: dict[str, list[str]] = {}
    measure(ui, qtbot, "slots: choose", seen)
    next(b for b in slots.slot_group.buttons() if b.isEnabled()).click()
    tap(ui, "确认预约")
    qtbot.waitUntil(lambda: slots.page == "ticket", timeout=10_000)
    measure(ui, qtbot, "slots: booked", seen)
    passes(size, seen)


@SIZES
def test_queue_ticket(elderly, qtbot, monkeypatch, size) -> None:
    ui, item = elderly, BY_ID["real-estate-hall-ticket"]
    ticket = step_in(ui, qtbot, monkeypatch, item, "ticket")
    seen: dict[str, list[str]] = {}
    measure(ui, qtbot, "ticket: choose", seen)
    ticket.groups[0][1].button(0).click()
    tap(ui, "取号")
    qtbot.waitUntil(lambda: ticket.ticket is not None, timeout=10_000)
    measure(ui, qtbot, "ticket: taken", seen)
    passes(size, seen)


@SIZES
def test_progress(elderly, qtbot, monkeypatch, size) -> None:
    ui, item = elderly, BY_ID["hrss-progress"]
    progress = step_in(ui, qtbot, monkeypatch, item, "progress")
    qtbot.waitUntil(lambda: progress.page == "list", timeout=10_000)
    seen: dict[str, list[str]] = {}
    measure(ui, qtbot, "progress: list", seen)
    passes(size, seen)
