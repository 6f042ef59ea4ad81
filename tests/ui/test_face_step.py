"""The face step over the fake desk and the real camera driver class (scripted, never opened): consent
first and nothing captured before it, live preview and guidance, the platform's answer with the tries
left, the window after three misses, refusing, and no frame left behind."""

from __future__ import annotations

import gc
import weakref

import numpy as np

from kiosk.devices.model import DeviceState
from kiosk.services.service_desk import FaceCheck
from kiosk.ui import find
from tests.ui.fake_desk import BY_ID, card_of, refusal

FACE_ITEM = BY_ID["household-registration-certificate"]  # idcard + face, then a form


def tap(ui, text: str) -> None:
    find.tap_text(ui.window, text, timeout_s=10)


def screen(ui, qtbot, name: str) -> None:
    qtbot.waitUntil(lambda: ui.window.current == name, timeout=10_000)


def to_consent(ui, qtbot, item=FACE_ITEM, persona: str = "li_jianguo") -> None:
    ui.runner.start_item(item)
    tap(ui, "开始办理")
    screen(ui, qtbot, "identify")
    ui.devices.get("idcard").events.put(card_of(persona))
    screen(ui, qtbot, "face")


def capturing(ui, qtbot):
    camera = ui.devices.get("camera")
    qtbot.waitUntil(lambda: camera.waiting, timeout=10_000)
    return camera


def test_consent_comes_first_and_nothing_is_captured_before_it(ui, qtbot) -> None:
    to_consent(ui, qtbot)
    assert ui.runner.plan.kinds == ("guide", "identify", "face", "form", "document", "result", "rate")
    for text in ("人脸信息属于敏感个人信息", "本机不保存任何照片或视频", "与政务服务平台登记的证件照片比对", "眨眨眼"):
        find.wait_for_text(ui.window, text)
    camera = ui.devices.get("camera")
    assert not camera.enabled and not camera.captures
    assert "同意" in ui.runner.steps["face"].prompt()


def test_a_live_face_that_matches_goes_on_and_the_camera_stops(ui, qtbot) -> None:
    to_consent(ui, qtbot)
    tap(ui, "同意，开始人脸识别")
    camera = capturing(ui, qtbot)
    assert camera.enabled
    camera.guide("camera.guidance.too_far")
    find.wait_for_text(ui.window, "请靠近一点。")
    camera.guide("camera.guidance.blink")
    find.wait_for_text(ui.window, "请眨眨眼。")
    face = ui.runner.steps["face"]
    camera.show(np.full((480, 640, 3), 128, np.uint8))
    qtbot.waitUntil(lambda: face.preview.pixmap() is not None and not face.preview.pixmap().isNull(), timeout=10_000)
    camera.finish()
    screen(ui, qtbot, "form")
    assert ui.desk.called("check_face") == [len(b"\xff\xd8\xff portrait")]
    assert ui.session.results["face"] == {"matched": True}
    assert not camera.enabled and camera.latest_frame() is None
    assert face.preview.pixmap() is None or face.preview.pixmap().isNull()


def test_a_miss_says_how_many_tries_are_left_and_three_send_to_the_window(ui, qtbot) -> None:
    ui.desk.face_answers = [FaceCheck(False, 2, True), FaceCheck(False, 1, True), FaceCheck(False, 0, True)]
    to_consent(ui, qtbot)
    tap(ui, "同意，开始人脸识别")
    capturing(ui, qtbot).finish()
    find.wait_for_text(ui.window, "还可以再试 2 次")
    find.wait_for_text(ui.window, "模拟比对")  # the platform says its match is a simulation: so do we
    tap(ui, "再试一次")
    capturing(ui, qtbot).finish()
    find.wait_for_text(ui.window, "还可以再试 1 次")
    tap(ui, "再试一次")
    capturing(ui, qtbot).finish()
    screen(ui, qtbot, "error")
    find.wait_for_text(ui.window, FACE_ITEM["implementing_body"]["name"])
    assert find.tap_targets(ui.window, "请联系工作人员") and not find.tap_targets(ui.window, "重试")
    assert len(ui.desk.called("check_face")) == 3


def test_the_platform_refusing_more_tries_goes_to_the_error_screen(ui, qtbot) -> None:
    ui.desk.fail_next("check_face", refusal("face_attempts_exceeded", "人脸核验未通过次数过多，请到窗口由工作人员协助办理。"))
    to_consent(ui, qtbot)
    tap(ui, "同意，开始人脸识别")
    capturing(ui, qtbot).finish()
    screen(ui, qtbot, "error")
    find.wait_for_text(ui.window, "人脸核验未通过次数过多")


def test_an_unusable_frame_is_said_and_tried_again(ui, qtbot) -> None:
    ui.desk.fail_next("check_face", refusal("multiple_faces", "检测到多张人脸，请只让办理人本人正对摄像头。", 400))
    to_consent(ui, qtbot)
    tap(ui, "同意，开始人脸识别")
    capturing(ui, qtbot).finish()
    find.wait_for_text(ui.window, "检测到多张人脸")
    tap(ui, "再试一次")
    capturing(ui, qtbot).finish()
    screen(ui, qtbot, "form")


def test_a_held_up_photo_fails_liveness_and_three_failures_send_to_the_window(ui, qtbot) -> None:
    to_consent(ui, qtbot)
    tap(ui, "同意，开始人脸识别")
    for attempt in range(3):
        camera = capturing(ui, qtbot)
        camera.fail("camera.liveness_failed")
        if attempt < 2:
            find.wait_for_text(ui.window, "未通过活体检测")
            assert not camera.enabled  # nothing captured while the resident reads the message
            tap(ui, "再试一次")
    screen(ui, qtbot, "error")
    find.wait_for_text(ui.window, "人脸核验多次未通过")
    assert ui.desk.called("check_face") == []  # no photo of a photo reached the platform


def test_refusing_consent_names_the_window_and_changing_ones_mind_works(ui, qtbot) -> None:
    to_consent(ui, qtbot)
    tap(ui, "不同意")
    find.wait_for_text(ui.window, "您没有同意人脸识别，本机没有采集您的面部图像")
    find.wait_for_text(ui.window, FACE_ITEM["implementing_body"]["address"])
    assert not ui.devices.get("camera").captures and not ui.devices.get("camera").enabled
    tap(ui, "请工作人员协助")
    qtbot.waitUntil(lambda: ui.desk.called("request_assistance") == ["face"], timeout=10_000)
    tap(ui, "我同意，开始人脸识别")
    capturing(ui, qtbot).finish()
    screen(ui, qtbot, "form")


def test_a_camera_that_is_down_is_said_with_a_retry(ui, qtbot) -> None:
    camera = ui.devices.get("camera")
    camera._set_status(DeviceState.OFFLINE, "unplugged")
    to_consent(ui, qtbot)
    tap(ui, "同意，开始人脸识别")
    screen(ui, qtbot, "error")
    find.wait_for_text(ui.window, "摄像头暂时无法使用")
    camera._set_status(DeviceState.ONLINE, "")
    tap(ui, "重试")
    capturing(ui, qtbot).finish()
    screen(ui, qtbot, "form")


def test_leaving_mid_capture_cancels_it_and_keeps_no_frame(ui, qtbot) -> None:
    to_consent(ui, qtbot)
    tap(ui, "同意，开始人脸识别")
    camera = capturing(ui, qtbot)
    camera.show(np.full((480, 640, 3), 99, np.uint8))
    command = camera.captures[-1][0]
    tap(ui, "返回首页")
    screen(ui, qtbot, "home")
    assert command.done and command.error is not None  # cancelled
    assert not camera.enabled and camera.latest_frame() is None
    face = ui.runner.steps["face"]
    assert face.preview.pixmap() is None or face.preview.pixmap().isNull()


def test_the_portrait_is_gone_once_the_platform_answered(ui, qtbot) -> None:
    to_consent(ui, qtbot)
    tap(ui, "同意，开始人脸识别")
    camera = capturing(ui, qtbot)
    portrait = weakref.ref(camera.finish())
    screen(ui, qtbot, "form")
    camera.captures.clear()  # the test's own record of the command
    gc.collect()
    assert portrait() is None  # no screen, closure or queue holds the portrait (or its JPEG)
