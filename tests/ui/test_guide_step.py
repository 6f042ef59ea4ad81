"""The 一次性告知 guide of every catalogue item opens, shows every 办事指南 element under its standard
name, says for each material how it can be provided (or that it cannot be here), and prints."""

from __future__ import annotations

from datetime import datetime

import pytest

from kiosk.devices.printer_profiles import get_profile
from kiosk.services import guide
from kiosk.services.receipts import receipt_to_escpos
from kiosk.services.session import Session
from kiosk.ui import find
from kiosk.ui.flow_runner import FlowRunner
from kiosk.ui.fonts import load_ui_font
from kiosk.ui.main_window import MainWindow
from tests.ui.conftest import UiKiosk
from tests.ui.fake_desk import ITEMS, FakeDesk, FakeDevices

STANDARD = ("受理条件", "申请材料", "办理流程", "法定办结时限", "承诺办结时限", "收费标准", "办理结果",
            "设定依据", "办理地点", "办理时间", "咨询电话", "投诉电话", "常见问题")


def test_the_elements_are_the_standard_ones() -> None:
    assert guide.ELEMENTS == STANDARD


@pytest.fixture(scope="module")
def one_kiosk(qapp):
    """One window for all items (a window per item would cost a second each)."""
    load_ui_font()
    desk, devices, session = FakeDesk(), FakeDevices(), Session()
    window = MainWindow("TEST-0001")
    runner = FlowRunner(window, desk, devices, session, settings={"take_away_s": 5})
    window.resize(1920, 1080)
    window.show()
    runner.load_home()
    assert find.wait_until(lambda: bool(runner.home.items), 10)
    yield UiKiosk(window, runner, desk, devices, session)
    window.close()
    window.deleteLater()
    qapp.setStyleSheet("")


@pytest.mark.parametrize("item", ITEMS, ids=[i["id"] for i in ITEMS])
def test_every_item_guide_opens_with_every_element(one_kiosk, item) -> None:
    ui = one_kiosk
    ui.runner.start_item(item)
    assert find.wait_until(lambda: ui.window.current == "guide", 10)
    screen = ui.runner.steps["guide"]
    assert screen.section_titles == list(STANDARD)
    for title in STANDARD:
        assert screen.section_text(title).strip(), (item["id"], title)  # never an empty element
    materials = screen.section_text("申请材料")
    for material in item.get("materials") or []:
        line = next(x for x in materials.splitlines() if material["name"] in x)
        routes = guide.material_routes(material, item.get("hardware") or [])
        if routes:
            assert line.startswith("✓ ") and all(r in line for r in routes), line
        else:
            assert line.startswith("⚠ ") and "本终端无法提供，需携带到窗口提交" in line, line
    assert find.tap_targets(ui.window, "开始办理") and find.tap_targets(ui.window, "打印指南")
    # the slip prints: every element the screen shows that a slip carries, as real ESC/POS bytes
    receipt = guide.guide_receipt(item, printed_at=datetime(2026, 12, 1, 9, 0), kiosk_id="TEST-0001")
    text = "\n".join(getattr(line, "text", "") for line in receipt.lines)
    for needle in ("法定办结时限", "承诺办结时限", "收费标准", "办理结果", "办理流程", "投诉电话"):
        assert needle in text, (item["id"], needle)
    assert receipt_to_escpos(receipt, get_profile("80mm"))
    ui.runner.go_home("cancelled")


def test_time_limits_are_two_elements_and_none_is_not_instant() -> None:
    item = next(i for i in ITEMS if i.get("legal_limit_days") is None)
    titled = {s.title: s.lines for s in guide.sections(item)}
    assert titled["法定办结时限"] == ("法律法规未作规定",)
    timed = next(i for i in ITEMS if (i.get("legal_limit_days") or 0) > 0)
    titled = {s.title: s.lines for s in guide.sections(timed)}
    assert titled["法定办结时限"] == (f"自受理之日起 {timed['legal_limit_days']} 个工作日",)


def test_start_goes_on_and_print_prints_the_guide(ui, qtbot) -> None:
    item = next(i for i in ITEMS if i["id"] == "social-insurance-certificate-print")
    ui.runner.start_item(item)
    qtbot.waitUntil(lambda: ui.window.current == "guide", timeout=10_000)
    find.tap_text(ui.window, "打印指南")
    qtbot.waitUntil(lambda: [r.kind for r in ui.desk.printed] == ["item_guide"], timeout=10_000)
    qtbot.waitUntil(lambda: ui.window.current == "guide", timeout=10_000)
    find.tap_text(ui.window, "开始办理")
    qtbot.waitUntil(lambda: ui.window.current == "identify", timeout=10_000)


def test_a_second_guide_never_shows_the_first(ui, qtbot) -> None:
    first, second = ITEMS[0], ITEMS[1]
    for item in (first, second):
        ui.runner.start_item(item)
        qtbot.waitUntil(lambda: ui.window.current == "guide", timeout=10_000)
        ui.runner.go_home("cancelled")
    ui.runner.start_item(second)
    qtbot.waitUntil(lambda: ui.window.current == "guide", timeout=10_000)
    shown = find.visible_texts(ui.window)
    assert not any(first["name"] == t for t in shown)
    sheet = ui.runner.steps["guide"].sheet
    assert len(sheet.children()) < 200  # the old labels are gone, not only waiting to be deleted
