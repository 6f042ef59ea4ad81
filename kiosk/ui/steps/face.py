"""Step `face`: the resident's live face against the platform's enrolled photo of the session holder.

1. Consent, on its own page: what is captured, why, that nothing is kept, and the law's name for it
   (人脸信息属于敏感个人信息). Nothing is captured before 同意. 不同意 leads to the window (and back to
   同意, if the resident changes their mind); the platform accepts no other way for an item that
   lists `face`.
2. Live preview with the camera driver's quality guidance (message codes `camera.guidance.*`) and its
   blink challenge (kiosk/devices/liveness.py). The camera is enabled only while capturing.
3. POST /identity/face with the chosen portrait (ServiceDesk.check_face). A miss says how many tries
   are left ("还可以再试 2 次"); after the last one, or three failed captures (a photo held up), the
   one error screen sends the resident to the window and the staff.
No frame is kept: the preview pixmap is cleared, the portrait is dropped after the request, and the
camera forgets its newest frame when disabled; nothing is written to disk. The reference platform's
match is a simulation (docs/backend-api.md); the screen says so when the platform does.
In a 代办 the agent identifies here, after the principal's face (kiosk/ui/proxy_agent.py).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import QHBoxLayout, QVBoxLayout, QWidget

from kiosk.devices.model import Completion, DeviceState
from kiosk.services import messages
from kiosk.services.messages import CodedError
from kiosk.ui.i18n import item_text, tr
from kiosk.ui.proxy_agent import AgentPanel, wants_proxy
from kiosk.ui.steps import register
from kiosk.ui.steps.base import StepContext, StepScreen
from kiosk.ui.widgets import PageStack, button, label, touch_scroll

if TYPE_CHECKING:
    import numpy as np  # frames come from the camera driver; the screen itself never imports numpy

PREVIEW_SIZE = (560, 420)
MAX_CAPTURE_FAILURES = 3  # failed captures (no blink, timed out) before the resident is sent to the window
FACE_TIMEOUT_S = 60.0
SAY_AND_RETRY_CODES = ("no_face", "multiple_faces", "image_unreadable")  # the platform could not use the frame

CONSENT = (
    (tr("拍摄什么"), tr("仅在本步骤中，由屏幕上方的摄像头拍摄您的面部画面，并请您眨眨眼，确认是真人在场。")),
    (tr("为什么"), tr("与政务服务平台登记的证件照片比对，确认是{who}本人办理。")),
    (tr("是否保存"), tr("本机不保存任何照片或视频：比对用的一张照片只发送给政务服务平台，本步骤结束后立即清除。")),
    (tr("您的权利"), tr("根据《中华人民共和国个人信息保护法》，人脸信息属于敏感个人信息，需要您单独同意。"
                "您可以不同意，改到服务窗口办理。")),
)


def _window_name(ctx: StepContext) -> str:
    return str((ctx.item.get("implementing_body") or {}).get("name", "")) or tr("服务窗口")


@register
class FaceScreen(StepScreen):
    name = "face"
    frame_ready = Signal(int, object)  # (capture run, QImage): capture thread → GUI thread
    guidance_changed = Signal(int, str)  # (capture run, message code): camera worker → GUI thread
    captured = Signal(int, object)  # (capture run, finished Command)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title.setText(tr("人脸识别"))
        self.pages = PageStack()
        self.body.addWidget(self.pages, 1)
        self._build_consent()
        self._build_capture()
        self._build_declined()
        self.agent = AgentPanel()
        self.agent.accepted.connect(lambda: self.done.emit({"matched": True, "proxy": True}))
        self.pages.addWidget(self.agent)
        self.frame_ready.connect(self._show_frame)
        self.guidance_changed.connect(self._show_guidance)
        self.captured.connect(self._on_captured)
        self.camera: Any = None
        self.command: Any = None
        self.run_id = 0  # bumped per capture: late frames and answers of an older one are dropped
        self.capturing = False
        self.capture_failures = 0

    # ---- pages ----------------------------------------------------------------------------------
    def _page(self) -> QVBoxLayout:
        page = QWidget()
        lay = QVBoxLayout(page)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(16)
        self.pages.addWidget(page)
        return lay

    def _buttons(self, lay: QVBoxLayout, *buttons: Any) -> None:
        row = QHBoxLayout()
        row.setSpacing(32)
        row.addStretch(1)
        for b in buttons:
            b.setMinimumWidth(320)
            row.addWidget(b)
        row.addStretch(1)
        lay.addLayout(row)

    def _build_consent(self) -> None:
        lay = self._page()
        self.consent_intro = label("", "subtitle")
        self.consent_intro.setAlignment(Qt.AlignmentFlag.AlignCenter)
        lay.addWidget(self.consent_intro)
        self.consent_rows: list[tuple[str, Any]] = []
        rows = QWidget()
        rows_lay = QVBoxLayout(rows)  # in a touch scroll: 长者模式's type does not fit 1080 px of height
        rows_lay.setContentsMargins(0, 0, 0, 0)
        for heading, _ in CONSENT:
            head = label(heading, "sectionTitle")
            text = label("", "body")
            rows_lay.addWidget(head)
            rows_lay.addWidget(text)
            self.consent_rows.append((heading, text))
        rows_lay.addStretch(1)
        lay.addWidget(touch_scroll(rows), 1)
        self.agree = button(tr("同意，开始人脸识别"), "primary")
        self.refuse = button(tr("不同意"))
        self.agree.clicked.connect(self._agree)
        self.refuse.clicked.connect(self._refuse)
        self._buttons(lay, self.refuse, self.agree)

    def _build_capture(self) -> None:
        lay = self._page()
        self.preview = label("", "preview", wrap=False)
        self.preview.setFixedSize(*PREVIEW_SIZE)
        self.preview.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.preview.setAccessibleName(tr("摄像头画面"))
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.preview)
        row.addStretch(1)
        lay.addLayout(row)
        self.guidance = label("", "question")
        self.guidance.setAlignment(Qt.AlignmentFlag.AlignCenter)
        lay.addWidget(self.guidance)
        self.outcome = label("", "error")  # a miss, a failed capture: what happened, tries left
        self.outcome.setAlignment(Qt.AlignmentFlag.AlignCenter)
        lay.addWidget(self.outcome)
        self.note = label("", "hint")
        self.note.setAlignment(Qt.AlignmentFlag.AlignCenter)
        lay.addWidget(self.note)
        lay.addStretch(1)
        self.retry = button(tr("再试一次"), "primary")
        self.retry.clicked.connect(self._start_capture)
        self._buttons(lay, self.retry)

    def _build_declined(self) -> None:
        lay = self._page()
        lay.addStretch(1)
        self.declined_text = label("", "subtitle")
        self.declined_text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        lay.addWidget(self.declined_text)
        self.window_text = label("", "body")
        self.window_text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        lay.addWidget(self.window_text)
        lay.addStretch(1)
        self.change_mind = button(tr("我同意，开始人脸识别"))
        self.ask_staff = button(tr("请工作人员协助"), "primary")
        self.change_mind.clicked.connect(self._agree)
        self.ask_staff.clicked.connect(lambda: self.ctx is not None and self.ctx.runner.request_help())
        self._buttons(lay, self.change_mind, self.ask_staff)

    # ---- the step ---------------------------------------------------------------------------------
    def enter(self, ctx: StepContext) -> None:
        super().enter(ctx)
        self._stop_capture()
        self.agent.clear()
        self.capture_failures = 0
        identity = ctx.session.identity
        proxy = wants_proxy(ctx)
        who = tr("办理人") if proxy else tr("您")
        self.title.setText(tr("办理人人脸识别") if proxy else tr("人脸识别"))
        intro = tr("「{name}」需要核验{who}本人的面部。").format(name=item_text(ctx.item, "name"), who=who)
        if proxy and identity is not None:
            intro += tr("\n请办理人本人正对摄像头，代办人请离开镜头。")
        self.consent_intro.setText(intro)
        for (_, text), (_, template) in zip(self.consent_rows, CONSENT, strict=True):
            text.setText(template.format(who=who))
        self.pages.setCurrentIndex(0)

    def leave(self) -> None:
        self._stop_capture()
        self.agent.stop()

    def prompt(self) -> str:
        page = self.pages.currentIndex()
        if page == 0:
            return tr("需要核验本人面部，请阅读说明后，点同意开始人脸识别，或点不同意。")
        if page == 1:
            return self.outcome.text() or self.guidance.text() or tr("请正对摄像头，眨眨眼。")
        if page == 2:
            return self.declined_text.text()
        return self.agent.prompt()

    # ---- consent -------------------------------------------------------------------------------
    def _agree(self) -> None:
        self.pages.setCurrentIndex(1)
        self._start_capture()

    def _refuse(self) -> None:
        ctx = self.ctx
        if ctx is None:
            return
        self.declined_text.setText(messages.text("face.declined", window=_window_name(ctx)))
        body = ctx.item.get("implementing_body") or {}
        self.window_text.setText(messages.text("identify.window", name=body.get("name", ""),
                                               address=body.get("address", ""), phone=body.get("phone", "")))
        self.pages.setCurrentIndex(2)

    # ---- capture -------------------------------------------------------------------------------
    def _start_capture(self) -> None:
        ctx = self.ctx
        if ctx is None:
            return
        self._stop_capture()
        self.retry.hide()
        self.outcome.setText("")
        self.note.setText("")
        camera = ctx.devices.get("camera")
        if camera is None or camera.status.state != DeviceState.ONLINE:
            ctx.fail(CodedError("camera.unavailable", "camera not configured or not online"),
                     retry=self._start_capture)
            return
        self.run_id += 1
        run = self.run_id
        self.camera, self.capturing = camera, True
        self.preview.show()
        self.guidance.setText(messages.text("camera.guidance.no_face"))
        camera.add_frame_listener(self._on_frame)
        camera.enable()
        self.command = camera.capture_face(on_progress=lambda p: self.guidance_changed.emit(run, p.code),
                                           timeout=FACE_TIMEOUT_S)
        self.command.add_done_callback(lambda cmd: self.captured.emit(run, cmd))

    def _on_frame(self, frame_id: int, frame: np.ndarray) -> None:
        """Capture thread: a small mirrored copy for the preview (the frame itself is never kept)."""
        if not self.capturing:
            return
        small = frame[::2, ::-2].copy()  # half size, mirrored like a looking glass (a C-contiguous copy)
        h, w = small.shape[:2]
        image = QImage(small.data, w, h, 3 * w, QImage.Format.Format_BGR888).copy()
        self.frame_ready.emit(self.run_id, image)

    def _show_frame(self, run: int, image: QImage) -> None:
        if run != self.run_id or not self.capturing:
            return  # a frame that arrived after the capture ended: dropped, not shown
        self.preview.setPixmap(QPixmap.fromImage(image).scaled(
            *PREVIEW_SIZE, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation))

    def _show_guidance(self, run: int, code: str) -> None:
        if run == self.run_id and self.capturing:
            self.guidance.setText(messages.text(code))
            self.ctx.say(code)  # spoken too, when the voice is on (kiosk/ui/voice.py)

    def _stop_capture(self) -> None:
        """The camera stops capturing and forgets its newest frame; the preview is cleared."""
        self.capturing = False
        self.run_id += 1
        command, self.command = self.command, None
        if command is not None:
            command.cancel()
        camera, self.camera = self.camera, None
        if camera is not None:
            camera.remove_frame_listener(self._on_frame)
            camera.disable()
        self.preview.clear()
        self.preview.hide()  # no black box while nothing is captured

    def _on_captured(self, run: int, command: Any) -> None:
        ctx = self.ctx
        if run != self.run_id or ctx is None:
            return  # cancelled, or an older capture
        error, result = command.error, command.result
        self._stop_capture()
        if error is not None:
            if error.completion is Completion.CANCELED:
                return
            self._capture_failed(error)
            return
        jpeg = result.jpeg
        del result
        token = ctx.session.platform_token
        self.guidance.setText("")
        ctx.run(lambda: ctx.services.check_face(token, jpeg), self._checked, self._check_failed,
                busy=tr("正在与政务服务平台比对，请稍候……"))

    def _capture_failed(self, error: Exception) -> None:
        ctx = self.ctx
        if ctx is None:
            return
        self.capture_failures += 1
        if self.capture_failures >= MAX_CAPTURE_FAILURES:
            ctx.fail(CodedError("face.no_more_attempts", "capture failed 3 times", window=_window_name(ctx)))
            return
        self._say_and_offer_retry(f"{messages.for_error(error)}{messages.text('face.retry')}")

    def _say_and_offer_retry(self, text: str) -> None:
        self.guidance.setText("")
        self.outcome.setText(text)
        self.retry.show()

    # ---- the platform's answer ---------------------------------------------------------------------
    def _checked(self, face: Any) -> None:
        ctx = self.ctx
        if ctx is None:
            return
        if face.matched:
            if wants_proxy(ctx) and ctx.session.proxy is None:
                self.pages.setCurrentWidget(self.agent)
                self.agent.start(ctx)
                return
            self.done.emit({"matched": True})
            return
        if face.attempts_left <= 0:
            ctx.fail(CodedError("face.no_more_attempts", "no face check left", window=_window_name(ctx)))
            return
        self._say_and_offer_retry(messages.text("face.mismatch", left=face.attempts_left))
        self.note.setText(messages.text("face.simulation") if face.simulation else "")

    def _check_failed(self, exc: Exception) -> None:
        ctx = self.ctx
        if ctx is None:
            return
        code = getattr(exc, "code", None)
        if code in SAY_AND_RETRY_CODES:
            self._say_and_offer_retry(f"{messages.for_error(exc)}{messages.text('face.retry')}")
        elif code == "face_attempts_exceeded":
            ctx.fail(exc)
        else:
            ctx.fail(exc, retry=self._start_capture)

    def clear_personal_data(self) -> None:
        super().clear_personal_data()
        self._stop_capture()
        self.agent.clear()
        self.outcome.setText("")
        self.guidance.setText("")
        self.consent_intro.setText("")
