"""Submitting, through the real runner over the fake desk: every 一件事 bundle from the card and face
to one receipt with one acceptance number per member item; the same key on 重试 after a lost answer
(filed once); an offline_queue item queued with the kiosk's identity assertion while the platform
is down; an online-only item refused before it starts."""

from __future__ import annotations

import pytest

from kiosk.services import materials as mat
from kiosk.services.backend_types import BackendError
from kiosk.ui import find
from tests.ui.fake_desk import BY_ID, ITEMS, card_of
from tests.ui.test_apply_forms import answer

JPEG = b"\xff\xd8\xff\xe0 a photographed page"
BUNDLES = [i for i in ITEMS if i["flow"] == "bundle"]
QUEUED_ITEM = BY_ID["village-residence-certificate"]  # offline_queue, ID card only
ONLINE_ITEM = BY_ID["farm-machinery-subsidy"]  # online only, ID card


def tap(ui, text: str) -> None:
    find.tap_text(ui.window, text, timeout_s=10)


def screen(ui, qtbot, name: str) -> None:
    qtbot.waitUntil(lambda: ui.window.current == name, timeout=10_000)


def fill_form(ui, qtbot) -> None:
    form = ui.runner.steps["form"]
    for _ in range(30):
        page = form.current
        if getattr(page, "spec", None) is not None:
            answer(page)
        form.next.click()
        if ui.window.current != "form":
            break
    screen(ui, qtbot, "materials")


def provide_materials(ui, qtbot) -> None:
    """Each material the first way offered (at the window when nothing else works here)."""
    materials = ui.runner.steps["materials"]
    for _ in range(30):
        if ui.window.current != "materials":
            break
        page = materials.pages[materials.index] if materials.pages else None
        if page is not None and page.material["name"] not in materials.provided:
            choice = next((b for b in page.options if "拍照" not in b.text() and "签署" not in b.text()), None)
            if choice is not None:
                choice.click()
            else:  # only the document camera: its route is apply_prefilled_form_and_capture's (real camera)
                materials._record(mat.Provided(page.material["name"], "capture", content=JPEG,
                                               content_type="image/jpeg", label="已用高拍仪拍照"))
        materials.next.click()
    screen(ui, qtbot, "confirm")


def to_confirm(ui, qtbot, item, persona: str = "chen_guiying") -> None:
    ui.runner.start_item(item)
    tap(ui, "开始办理")
    screen(ui, qtbot, "identify")
    qtbot.waitUntil(lambda: find.has_text(ui.window, "请放置身份证"), timeout=10_000)
    ui.devices.get("idcard").events.put(card_of(persona))
    if "face" in item["auth_methods"]:
        screen(ui, qtbot, "face")
        tap(ui, "同意，开始人脸识别")
        camera = ui.devices.get("camera")
        qtbot.waitUntil(lambda: camera.waiting, timeout=10_000)
        camera.finish()
    if ui.runner.plan is not None and "form" in ui.runner.plan.kinds:
        screen(ui, qtbot, "form")
        fill_form(ui, qtbot)
    else:
        screen(ui, qtbot, "materials")
    provide_materials(ui, qtbot)


@pytest.mark.parametrize("item", BUNDLES, ids=[i["id"] for i in BUNDLES])
def test_every_bundle_gives_one_number_per_member(ui, qtbot, item) -> None:
    to_confirm(ui, qtbot, item)
    asked = [m["name"] for m in mat.asked(item)]  # each once; not what an earlier member makes (shared_from)
    assert [p.name for p in ui.session.results["materials"]] == asked
    assert not find.has_text(ui.window, "440204194203080028")  # masked on the confirm page
    tap(ui, "确认无误")
    screen(ui, qtbot, "submit")
    find.wait_for_text(ui.window, "提交成功，已受理")
    (sent,) = ui.desk.submitted.values()
    assert [m["item_id"] for m in sent["members"]] == item["bundle_items"]
    for member in sent["members"]:
        find.wait_for_text(ui.window, f"{member['item_name']}：受理编号 {member['acceptance_no']}")
    assert len(ui.desk.called("submit_application")) == 1  # one submission for the whole bundle
    if "printer" in item["hardware"]:
        qtbot.waitUntil(lambda: bool(ui.desk.printed), timeout=10_000)
        text = ui.desk.printed[-1].plain_text()
        assert all(m["acceptance_no"] in text for m in sent["members"])


def test_a_lost_answer_is_retried_under_the_same_key(ui, qtbot) -> None:
    to_confirm(ui, qtbot, QUEUED_ITEM, "li_jianguo")
    ui.desk.fail_next("submit_application", BackendError("timeout", "no answer"))
    tap(ui, "确认无误")
    screen(ui, qtbot, "error")
    tap(ui, "重试")
    find.wait_for_text(ui.window, "提交成功，已受理")
    keys = [arg[1] for arg in ui.desk.called("submit_application")]
    assert len(keys) == 2 and keys[0] == keys[1]  # the platform recognises the repeat
    assert len(ui.desk.submitted) == 1


def test_offline_an_offline_queue_item_is_queued_with_the_assertion(ui, qtbot) -> None:
    ui.desk.offline = True
    ui.desk.fail_next("open_session", BackendError("offline", "unreachable"))
    to_confirm(ui, qtbot, QUEUED_ITEM, "li_jianguo")
    tap(ui, "确认无误")
    find.wait_for_text(ui.window, "已暂存，联网后自动提交")
    (body,) = ui.desk.queued.values()
    assert body["identity"]["method"] == "idcard" and body["local_ref"].startswith("ZC")
    find.wait_for_text(ui.window, f"暂存编号：{body['local_ref']}")
    assert ui.session.platform_token is None  # nothing of it depends on the 15-minute token


def test_offline_an_online_item_says_so_before_it_starts(ui, qtbot) -> None:
    ui.desk.offline = True
    ui.runner.start_item(ONLINE_ITEM)
    tap(ui, "开始办理")
    screen(ui, qtbot, "error")
    assert not ui.desk.called("open_session")  # no card asked for, nothing typed in vain
