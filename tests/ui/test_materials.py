"""The materials step, through the real runner over the fake desk: an e-licence with its trust level
(免提交), 容缺 with its deadline, a 告知承诺 read in full and signed with a finger (PNG), a material
with no way at the kiosk said plainly; what was provided stays in the Session for the submit step."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest

from kiosk.services import materials as mat
from kiosk.services import messages
from kiosk.ui import find
from tests.ui.fake_desk import BY_ID, card_of
from tests.ui.test_apply_forms import answer

DEATH_BENEFIT = BY_ID["resident-pension-death-benefit"]  # 容缺, e-licence, 告知承诺 or an e-licence of level B


def tap(ui, text: str) -> None:
    find.tap_text(ui.window, text, timeout_s=10)


def to_materials(ui, qtbot, item, persona: str = "li_jianguo") -> None:
    ui.runner.start_item(item)
    tap(ui, "开始办理")
    ui.devices.get("idcard").events.put(card_of(persona))
    qtbot.waitUntil(lambda: ui.window.current == "form", timeout=10_000)
    form = ui.runner.steps["form"]
    for _ in range(12):
        page = form.current
        spec = getattr(page, "spec", None)
        if spec is not None:
            answer(page)
        form.next.click()
        if ui.window.current != "form":
            break
        assert not (spec is not None and page.error.text()), (spec["name"], page.error.text())
    qtbot.waitUntil(lambda: ui.window.current == "materials", timeout=10_000)


def sign(pad) -> None:
    QTest.mousePress(pad, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, QPoint(40, 60))
    for x in range(40, 400, 20):
        QTest.mouseMove(pad, QPoint(x, 60 + (x % 60)))
    QTest.mouseRelease(pad, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, QPoint(400, 80))


def test_every_way_of_providing_a_material(ui, qtbot) -> None:
    to_materials(ui, qtbot, DEATH_BENEFIT)
    screen = ui.runner.steps["materials"]
    assert ui.desk.called("elicences")  # the resident's e-licences were looked up once
    # 1. 死亡医学证明: no e-licence of that type, so it says so; 容缺 with the catalogue's deadline
    find.wait_for_text(ui.window, "第 1 份材料，共 3 份")
    find.wait_for_text(ui.window, "没有查到您名下可直接使用的居民死亡医学证明（推断）书电子证照")
    tap(ui, "下一份")  # nothing chosen yet: the page says what to do and stays
    find.wait_for_text(ui.window, messages.text("materials.choose", name="死亡医学证明或火化证明"))
    days = DEATH_BENEFIT["materials"][0]["missing_due_days"]
    tap(ui, f"容缺受理：先办理，{days} 个工作日内到窗口补交")
    tap(ui, "下一份")
    # 2. the ID card: the A-level e-licence stands in for the paper
    tap(ui, "使用电子证照：居民身份证电子证照（A级，免提交）")
    find.wait_for_text(ui.window, "已选择：电子证照 居民身份证电子证照（A级，免提交）")
    tap(ui, "下一份")
    # 3. 亲属关系证明: the 告知承诺 in full first, then a finger signature
    assert find.tap_targets(ui.window, "使用电子证照：居民户口簿电子证照（B级，免提交）")
    tap(ui, "签署告知承诺书代替")
    text = DEATH_BENEFIT["materials"][2]["commitment_text"]
    find.wait_for_text(ui.window, text)  # the whole text, not a summary
    tap(ui, "我已阅读，同意并签名")
    tap(ui, "确认签名")  # not signed yet
    find.wait_for_text(ui.window, messages.text("materials.sign_first"))
    sign(screen.pad)
    tap(ui, "确认签名")
    find.wait_for_text(ui.window, "已选择：已签署告知承诺书")
    tap(ui, "确定")

    qtbot.waitUntil(lambda: ui.window.current == "confirm", timeout=10_000)  # everything to be sent, listed
    find.wait_for_text(ui.window, f"容缺：{days} 个工作日内到窗口补交")
    find.wait_for_text(ui.window, "已签署告知承诺书")
    provided = ui.session.results["materials"]
    assert [p.by for p in provided] == ["missing", "elicence", "commitment"]
    assert provided[0].due_days == days and provided[1].licence_id.startswith("EL-")
    assert provided[2].content.startswith(b"\x89PNG") and provided[2].content_type == "image/png"
    assert mat.declarations(provided) == [
        {"name": "死亡医学证明或火化证明", "by": "missing"},
        {"name": "申领人居民身份证", "by": "elicence", "licence_id": provided[1].licence_id},
        {"name": DEATH_BENEFIT["materials"][2]["name"], "by": "commitment"}]
    assert [u[0] for u in mat.uploads(provided)] == [DEATH_BENEFIT["materials"][2]["name"]]
    assert "PNG" not in repr(provided[2]) and "content" not in repr(provided[2])
    tap(ui, "确认无误")
    qtbot.waitUntil(lambda: ui.window.current == "submit", timeout=10_000)
    find.wait_for_text(ui.window, "提交成功，已受理")
    find.wait_for_text(ui.window, "受理编号：YS20261123000001")
    find.wait_for_text(ui.window, "容缺受理：死亡医学证明或火化证明，请于2026-12-21前到窗口补交")
    (sent,) = ui.desk.submitted.values()
    signed = next(m for m in sent["body"]["materials"] if m["by"] == "commitment")
    assert signed["content_type"] == "image/png" and signed["content_b64"]  # the signature travels with it
    assert ui.window.back_button.isHidden()  # submitted: no way back to send it twice
    tap(ui, "返回首页")
    qtbot.waitUntil(lambda: ui.window.current == "home", timeout=10_000)
    assert "materials" not in ui.session.results and screen.pages == []  # wiped with the session


def test_a_material_with_no_way_at_the_kiosk_is_said_plainly(ui, qtbot) -> None:
    item = BY_ID["veteran-arrival-registration"]  # 退出现役证: an original, no e-licence, no camera route
    to_materials(ui, qtbot, item)
    for material in item["materials"]:
        if not mat.ways(material, item["hardware"]):
            body = item["implementing_body"]["name"]
            while not find.has_text(ui.window, f"请提供：{material['name']}"):
                tap(ui, "下一份")
            find.wait_for_text(ui.window, f"本终端无法提供「{material['name']}」")
            find.wait_for_text(ui.window, body)
            tap(ui, "知道了，提交后到窗口提交")
            find.wait_for_text(ui.window, "已选择：提交后到窗口提交")
            return
        first = find.tap_targets(ui.window, f"使用电子证照：{material.get('elicence_type')}（A级，免提交）")
        if first:
            find.tap(first[0])
        elif material.get("missing_ok"):
            tap(ui, f"容缺受理：先办理，{material['missing_due_days']} 个工作日内到窗口补交")
        tap(ui, "下一份")
    raise AssertionError("the item has a material with no way at the kiosk")
