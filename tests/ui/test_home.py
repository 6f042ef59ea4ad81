"""Home: ranked items and department tiles, 智能导办 on the letter keypad (results open the guide),
the attract page, the offline banner, 长者模式 and portrait layouts. Taps go through find.py."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent

from kiosk.services.service_desk import home_rank_key
from kiosk.ui import countdown, find
from kiosk.ui.main_window import OFFLINE_BANNER
from tests.ui.fake_desk import ITEMS

RANKED = sorted(ITEMS, key=home_rank_key)


def tap(ui, text: str) -> None:
    find.tap_text(ui.window, text, timeout_s=10)


def type_keys(ui, letters: str) -> None:
    for key in letters:
        tap(ui, key)


def search(ui, qtbot) -> None:
    qtbot.waitUntil(lambda: ui.runner.home.index is not None, timeout=20_000)
    tap(ui, "搜索业务")


def test_home_shows_the_ranked_items_first_and_the_departments(ui) -> None:
    home = ui.runner.home
    assert list(home.tiles) == [i["id"] for i in RANKED[:12]]  # home_rank order, as the desk gives it
    assert RANKED[0]["id"] == "pension-eligibility-certification"
    for name in ("社保就业", "医疗保障", "全部部门"):
        assert find.tap_targets(ui.window, name)
    find.wait_for_text(ui.window, "21 项业务")  # 人社's items


def test_a_department_lists_its_items_and_opens_the_guide(ui, qtbot) -> None:
    tap(ui, "全部部门")
    tap(ui, "村级证明")
    find.wait_for_text(ui.window, "村级证明（4 项）")
    tap(ui, "亲属关系证明（村级）")
    qtbot.waitUntil(lambda: ui.window.current == "guide", timeout=10_000)
    assert ui.session.item["id"] == "kinship-certificate"


def test_initials_on_the_keypad_find_the_certification_and_open_its_guide(ui, qtbot) -> None:
    search(ui, qtbot)
    assert ui.runner.home.search.keypad.layout_name == "letters"
    type_keys(ui, "YLRZ")
    find.wait_for_text(ui.window, "又称：养老认证")
    shown = ui.runner.home.search.shown_items()
    assert shown[0]["id"] == "pension-eligibility-certification"
    tap(ui, "养老待遇资格认证")
    qtbot.waitUntil(lambda: ui.window.current == "guide", timeout=10_000)
    assert ui.session.item["id"] == "pension-eligibility-certification"


def test_sbjf_and_backspace_and_nothing_found(ui, qtbot) -> None:
    search(ui, qtbot)
    type_keys(ui, "SBJF")
    ids = [i["id"] for i in ui.runner.home.search.shown_items()]
    assert ids[:2] == ["resident-pension-payment", "resident-medical-insurance-payment"]
    type_keys(ui, "QQ")
    find.wait_for_text(ui.window, "没有找到与「SBJFQQ」相关的业务")
    tap(ui, "删除")
    tap(ui, "删除")
    assert ui.runner.home.search.shown_items()
    tap(ui, "返回首页")
    assert ui.runner.home.page_name() == "main"


def test_search_starts_empty_every_time(ui, qtbot) -> None:
    search(ui, qtbot)
    type_keys(ui, "GJJ")
    ui.runner.start_item(RANKED[0])
    qtbot.waitUntil(lambda: ui.window.current == "guide", timeout=10_000)
    ui.runner.go_home("cancelled")
    assert ui.runner.home.page_name() == "main"
    tap(ui, "搜索业务")
    assert ui.runner.home.search.query.text() == ""


def test_untouched_home_shows_the_attract_page_and_a_touch_brings_it_back(ui, qtbot) -> None:
    home = ui.runner.home
    home.timer.arm(True)  # from now: real seconds may have ticked while the fixture started
    countdown.advance_all(home.timer.seconds - 1)
    assert home.page_name() == "main"
    countdown.advance_all(1)
    assert home.page_name() == "attract"
    find.wait_for_text(ui.window, "轻触屏幕 开始办理")
    tap(ui, "轻触屏幕开始")
    assert home.page_name() == "main"
    ui.runner.start_item(RANKED[0])  # the attract clock does not run off home
    qtbot.waitUntil(lambda: ui.window.current == "guide", timeout=10_000)
    assert not home.timer.countdown.active


def test_offline_banner_on_home_only(ui, qtbot) -> None:
    ui.window.set_status("网络中断", True)
    assert ui.window.offline_banner.isVisible()
    assert find.has_text(ui.window, OFFLINE_BANNER)
    ui.runner.start_item(RANKED[1])
    qtbot.waitUntil(lambda: ui.window.current == "guide", timeout=10_000)
    assert not ui.window.offline_banner.isVisible()
    ui.runner.go_home("cancelled")
    assert ui.window.offline_banner.isVisible()
    ui.window.set_status("已连接政务服务平台", offline=False)
    assert not ui.window.offline_banner.isVisible()


def test_help_says_staff_are_coming(ui, qtbot) -> None:
    tap(ui, "帮办")
    qtbot.waitUntil(lambda: ui.desk.called("request_assistance") == ["home"], timeout=10_000)
    find.wait_for_text(ui.window, "工作人员马上到")


def test_elderly_home_is_simpler_and_the_switch_stays(ui, qtbot) -> None:
    tap(ui, "长者模式")
    home = ui.runner.home
    frequent = [i["id"] for i in home.items if i.get("elderly_frequent")]  # in home_rank order
    assert 0 < len(home.tiles) <= 8 and list(home.tiles) == frequent[:8]
    assert find.find(ui.window, "更多业务")
    tap(ui, "请人帮办")  # 帮办 as a tile too, beside the title bar's (landscape; portrait: 找工作人员帮办)
    qtbot.waitUntil(lambda: ui.desk.called("request_assistance") == ["home"], timeout=10_000)
    qtbot.waitUntil(lambda: ui.window.title_bar.height() >= ui.window.elderly_button.height(), timeout=5_000)
    bar, switch = ui.window.title_bar, ui.window.elderly_button
    assert switch.geometry().bottom() < bar.height()  # the bar holds its bigger buttons, uncut
    assert not find.tap_targets(ui.window, "社保就业")  # departments are one tap further
    search(ui, qtbot)
    assert home.search.keypad.layout_name == "abc"
    assert find.tap_targets(ui.window, "长者模式")  # the switch is there on every page
    tap(ui, "长者模式")
    assert len(home.tiles) == 12


def test_portrait_lays_home_out_in_three_columns(ui, qtbot) -> None:
    ui.window.resize(1080, 1920)
    qtbot.waitUntil(lambda: ui.runner.home.portrait, timeout=5_000)
    home = ui.runner.home
    assert len(home.tiles) == 12
    qtbot.waitUntil(lambda: len({t.geometry().left() for t in home.tiles.values()}) == 3, timeout=5_000)
    assert ui.window.title_text.text()  # never clipped: the title picks what fits
    fm = ui.window.title_text.fontMetrics()
    assert fm.horizontalAdvance(ui.window.title_text.text()) <= ui.window.title_text.width()


def item_wrappers() -> list:
    """Live Python wrappers of layout items Qt made (a QWidgetItem, a stretch): none should outlive
    the code that used it. One held by a layout goes stale when Qt deletes the item (its widget was
    deleted or moved away), and the next object allocated at that address dies through it (a
    segfault in shiboken's releaseWrapper; kiosk/ui/field_rows.py)."""
    import shiboken6
    from PySide6.QtWidgets import QLayout, QLayoutItem

    return [type(w).__name__ for w in shiboken6.getAllValidWrappers()
            if isinstance(w, QLayoutItem) and not isinstance(w, QLayout) and not shiboken6.createdByPython(w)]


def test_rebuilding_home_leaves_no_layout_item_wrappers(ui, qtbot) -> None:
    qtbot.waitUntil(lambda: ui.runner.home.index is not None, timeout=20_000)
    # The items of the window's fixed layouts stay wrapped (PySide wrapped them when a filled layout
    # went in) and are never deleted: they are counted, and the count must not grow.
    counts = []
    for _ in range(4):  # 长者模式 on and off: the landscape search row is rebuilt with the 简/繁/EN switch
        tap(ui, "长者模式")
        tap(ui, "长者模式")
        for _ in range(3):  # the old pages' deleteLater, and what their deletion posts in turn
            QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        counts.append(len(item_wrappers()))
    assert counts[-1] == counts[0], counts  # +2 a cycle when the switch's item wrapper was left behind
