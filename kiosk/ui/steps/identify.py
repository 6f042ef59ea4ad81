"""Step `identify`: prove who you are with the methods the plan offers (the item's auth_methods).

Methods (`ctx.params["methods"]`, in the item's order): the ID card (身份证), the 社保卡 (PC/SC) and the
e-ID QR code (粤省事码, through the scanner). Every offered method whose device is online shows as a
card with a picture of where to put it, and all of them listen at once, so whatever the resident
does works; a card already on a reader is read at once and its method goes first. (When none is
online, all are shown with their reconnecting note: never a dead end.) Readers listen only while
this step shows; what was queued before it is dropped (it is not this resident's).

- A card or code → POST /identity/{idcard,sscard,eid} → the identity and the platform token go into
  the Session. An unreadable card, a wrong card, a card pulled out mid-read, an unreadable or stale
  code: said on this screen, and the step keeps waiting.
- An expired ID card or 社保卡 (`id_card_expired`, `sscard_expired`): the one error screen with
  换一种方式, back to this screen with the item's other methods and the window.
- 帮他人办理 (items tagged proxy_ok only): the principal identifies first; the agent follows here,
  or on the face step when the plan has one (kiosk/ui/proxy_agent.py).
- Identified by 社保卡: pulling the card out before the journey has committed ends the session.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QBoxLayout, QHBoxLayout, QVBoxLayout, QWidget

from kiosk.services import messages
from kiosk.services.service_desk import ASSERTED_METHODS, can_queue
from kiosk.services.session import Identity
from kiosk.ui.i18n import item_text, tr
from kiosk.ui.listening import Listening
from kiosk.ui.proxy_agent import AgentPanel, agent_comes_after
from kiosk.ui.steps import register
from kiosk.ui.steps.base import StepContext, StepScreen
from kiosk.ui.widgets import card, label, option_button

OTHER_WAY_CODES = ("id_card_expired", "sscard_expired")  # this card cannot work: offer the other methods
SAY_AND_WAIT_CODES = ("eid_invalid",)  # a fresh code on the phone will do: say so, keep waiting


@dataclass(frozen=True)
class MethodView:
    device: str
    name: str
    picture: str
    instructions: str
    prompt: str  # part of the voice prompt
    reconnecting: str  # message code while its device is down


METHODS: dict[str, MethodView] = {
    "idcard": MethodView("idcard", tr("身份证"), tr("▭ ▼［ 读卡区 ］"),
                         tr("平放在「身份证读卡区」\n听到提示音前不要移动"),
                         tr("把身份证平放在下方的读卡区"), "idcard.reconnecting"),
    "sscard": MethodView("sscard", tr("社保卡"), tr("▭ ▶［ 插卡口 ］"),
                         tr("插入「社保卡插卡口」\n芯片朝内，读完前不要拔卡"),
                         tr("把社保卡插入插卡口"), "sscard.reader_unavailable"),
    "eid_qr": MethodView("scanner", tr("粤省事码"), tr("▯ ▼［ 扫码口 ］"),
                         tr("出示粤省事电子身份证码\n对准下方的「扫码口」"),
                         tr("用粤省事电子身份证二维码对准扫码口"), "identify.scanner_reconnecting"),
}


def say(widget: Any, text: str) -> None:
    """Set a label's text; an empty label takes no room (the screen must fit in 长者模式 too)."""
    widget.setText(text)
    widget.setVisible(bool(text))


class MethodCard(QWidget):
    """One way to identify: its name, a picture of where the card or phone goes, what to do."""

    def __init__(self, method: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        view = METHODS[method]
        self.method = method
        self.setMaximumWidth(820)
        frame = card(self)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(frame)
        lay = QVBoxLayout(frame)
        lay.setContentsMargins(24, 16, 24, 16)
        # Short lines that never wrap: a word-wrapped label's height is not honoured in nested layouts.
        self.name = label(view.name, "sectionTitle", wrap=False)
        self.picture = label(view.picture, "methodPicture", wrap=False)
        self.picture.setAccessibleName(tr("{what}放置位置示意图").format(what=tr(view.name)))
        self.instructions = label(view.instructions, "body", wrap=False)
        self.note = label("", "error")  # the device's own trouble (reconnecting)
        for w in (self.name, self.picture, self.instructions, self.note):
            w.setAlignment(Qt.AlignmentFlag.AlignCenter)
            lay.addWidget(w)


class SsCardWatch(QObject):
    """After identifying by 社保卡 the reader keeps watching: the card pulled out before the journey
    has committed ends the session (the resident may be walking away). Stopped at wipe."""

    def __init__(self, parent: QObject) -> None:
        super().__init__(parent)
        self.listening: Listening | None = None
        self.runner: Any = None

    def start(self, reader: Any, runner: Any) -> None:
        self.stop()
        self.runner = runner
        self.listening = Listening(reader, self, on_data=lambda _: None, on_status=self._on_status)
        self.listening.resume()  # keeps polling the slot; a card read again is dropped

    def stop(self) -> None:
        if self.listening is not None:
            self.listening.stop()
            self.listening = None
        self.runner = None

    def _on_status(self, status: Any) -> None:
        runner = self.runner
        if runner is None or status.extras.get("card_present", True):
            return
        self.stop()
        if runner.committed or not runner.session.active:
            return  # printed / submitted: taking the card away now is what the resident was asked to do
        runner.go_home("card_removed")
        runner.window.show_notice(messages.text("sscard.session_ended"))


@register
class IdentifyScreen(StepScreen):
    name = "identify"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title.setText(tr("请核验身份"))
        self.item_name = label("", "subtitle")
        self.item_name.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.body.addWidget(self.item_name)
        self.proxy_button = option_button(tr("帮他人办理"))  # ✓ when chosen: colour is never the only signal
        self.proxy_button.toggled.connect(self._on_proxy_toggled)
        self.proxy_hint = label("", "hint")
        self.proxy_hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.proxy_button)
        row.addStretch(1)
        self.body.addLayout(row)
        self.body.addWidget(self.proxy_hint)
        self.body.addStretch(1)
        self.status = self.centered("", "hint")
        self.error = self.centered("", "error")
        self.methods_row = QHBoxLayout()
        self.methods_row.setSpacing(24)
        self.methods_row.addStretch(1)
        self.methods_row.addStretch(1)
        self.body.addLayout(self.methods_row)
        self.cards: dict[str, MethodCard] = {m: MethodCard(m, self) for m in METHODS}
        for c in self.cards.values():
            c.hide()
        self.window_text = self.centered("", "body")  # the item's window, when another way is asked for
        self.agent = AgentPanel()
        self.agent.accepted.connect(self._agent_done)
        self.body.addWidget(self.agent)
        self.body.addStretch(2)
        self.listening: dict[str, Listening] = {}
        self.watch = SsCardWatch(self)
        self.offered: list[str] = []
        self.excluded: set[str] = set()  # methods the resident was sent away from (an expired card)
        self.method_used = ""
        self.waiting = False  # a card or code now is this resident's (False while one is being checked)

    # ---- the step ---------------------------------------------------------------------------
    def enter(self, ctx: StepContext) -> None:
        super().enter(ctx)
        self.watch.stop()
        self._stop_listening()
        self.agent.clear()
        self.agent.hide()
        self.excluded, self.method_used = set(), ""
        self.item_name.setText(tr("您正在办理：{name}").format(name=item_text(ctx.item, "name")))
        proxy_ok = bool(ctx.params.get("proxy_ok"))
        words = tr("帮家人办理") if ctx.params.get("proxy_family") else tr("帮他人办理")  # 长者模式: plain words
        self.proxy_button.setAccessibleName(words)
        self.proxy_button.setText(words)
        self.proxy_button.setVisible(proxy_ok)
        self.proxy_button.setChecked(proxy_ok and bool((ctx.results.get("identify") or {}).get("proxy")))
        self.proxy_button.setText(("✓ " if self.proxy_button.isChecked() else "") + words)
        self._on_proxy_toggled(self.proxy_button.isChecked())
        say(self.error, "")
        say(self.window_text, "")
        say(self.status, tr("正在等待核验身份……"))
        self.offered = self._listen(ctx)
        self._build_cards()
        if not self.offered:
            say(self.error, messages.text("idcard.reader_unavailable" if ctx.params.get("methods") == ("idcard",)
                                             else "identify.no_device"))
            self._show_window(ctx)
            return
        self._resume()

    def _listen(self, ctx: StepContext) -> list[str]:
        """The plan's methods this kiosk has a device for, a card already inside first."""
        handlers = {"idcard": self._on_card, "sscard": self._on_sscard, "eid_qr": self._on_code}
        methods = []
        for method in ctx.params.get("methods", ()):
            device = ctx.devices.get(METHODS[method].device) if method in METHODS else None
            if device is None:
                continue
            self.listening[method] = Listening(device, self, on_data=handlers[method], on_error=self._on_read_error,
                                               on_status=lambda _s: self._refresh_cards())
            methods.append(method)
        present = [m for m in methods if self.listening[m].device.status.extras.get("card_present")]
        return present + [m for m in methods if m not in present]

    def _build_cards(self) -> None:
        """The offered methods' cards in order (built once, so they are styled and laid out by now)."""
        for c in self.cards.values():
            self.methods_row.removeWidget(c)
            c.hide()
        for method in self.offered:
            self.methods_row.insertWidget(self.methods_row.count() - 1, self.cards[method], 4)  # between the stretches
        self._refresh_cards()

    def resizeEvent(self, event: Any) -> None:  # noqa: N802 (Qt)
        """Side by side on a landscape screen, one above the other on a portrait one."""
        portrait = self.width() < self.height()
        self.methods_row.setDirection(QBoxLayout.Direction.TopToBottom if portrait
                                      else QBoxLayout.Direction.LeftToRight)
        super().resizeEvent(event)

    def _usable(self) -> list[str]:
        return [m for m in self.offered if m not in self.excluded]

    def _refresh_cards(self) -> None:
        """Show the usable methods whose device is online; when none is, show them all with their note."""
        usable = [m for m in self._usable() if m in self.listening] if self.agent.isHidden() else []
        online = [m for m in usable if self.listening[m].online]
        for method, c in self.cards.items():
            down = method in usable and self.listening[method].down
            say(c.note, messages.text(METHODS[method].reconnecting) if down else "")
            c.setVisible(method in usable and (method in online or not online))
        if not self.agent.isHidden():
            self.title.setText(tr("请代办人核验身份"))
        elif len(usable) == 1:
            self.title.setText({"idcard": tr("请放置身份证"), "sscard": tr("请插入社保卡"),
                                "eid_qr": tr("请出示粤省事码")}[usable[0]])
        else:
            self.title.setText(tr("请核验身份"))

    def _resume(self) -> None:
        self.waiting = True
        for method in self._usable():
            self.listening[method].resume()

    def _pause(self) -> None:
        self.waiting = False
        for listening in self.listening.values():
            listening.pause()

    def _stop_listening(self) -> None:
        self.waiting = False
        for listening in self.listening.values():
            listening.stop()
        self.listening = {}

    def leave(self) -> None:
        self._stop_listening()
        self.agent.stop()
        ctx = self.ctx
        if ctx is not None and ctx.session.identity is not None and ctx.session.identity.method == "sscard":
            reader = ctx.devices.get("sscard")
            if reader is not None:
                self.watch.start(reader, ctx.runner)

    def prompt(self) -> str:
        if not self.agent.isHidden():
            return self.agent.prompt()
        parts = [METHODS[m].prompt for m in self._usable()]
        return tr("请{methods}。").format(methods=tr("，或").join(tr(p) for p in parts)) if parts else tr("请到服务窗口办理，或点帮办请工作人员协助。")

    # ---- 帮他人办理 ---------------------------------------------------------------------------
    def _on_proxy_toggled(self, on: bool) -> None:
        ctx = self.ctx
        if not on or ctx is None:
            say(self.proxy_hint, tr("家人或村（居）委会工作人员帮忙办理时，请点「{button}」。").format(button=self.proxy_button.text())
                                    if self.proxy_button.isVisible() else "")
            return
        face = tr("，并进行人脸识别") if agent_comes_after(ctx, "identify") else ""
        say(self.proxy_hint, tr("代办：先由办理人（本事项的申请人）本人核验身份{face}；\n"
                                   "然后由代办人用本人身份证核验。").format(face=face))

    def _agent_done(self) -> None:
        self.done.emit({"method": self.method_used, "proxy": True})

    # ---- device events ----------------------------------------------------------------------
    def _on_read_error(self, failure: Any) -> None:
        """A card could not be read (or was the wrong card, or pulled out mid-read), or a code was not
        a code: say so and keep waiting (the readers stay enabled)."""
        say(self.error, messages.for_error(failure))
        say(self.status, tr("请重新放置证件，或换一种方式。"))

    def _on_card(self, card: Any) -> None:
        self._identify(Identity(method="idcard", name=card.name, id_number=card.id_number,
                                card_type=card.card_type, birth_date=card.birth_date or ""))

    def _on_sscard(self, data: Any) -> None:
        self._identify(Identity(method="sscard", name=data.name, id_number=data.id_number,
                                birth_date=data.birth_date, extras={"card_number": data.card_number}))

    def _on_code(self, scanned: Any) -> None:
        ctx = self.ctx
        if ctx is None or not self.waiting:
            return  # not waiting: drop it, never keep it
        self._pause()
        self.method_used = "eid_qr"
        token = scanned.code
        say(self.status, tr("已扫码，正在核验身份……"))
        ctx.run(lambda: ctx.services.open_eid_session(token), self._opened, self._refused,
                busy=tr("已扫码，正在核验身份，请稍候……"))

    def _identify(self, identity: Identity) -> None:
        ctx = self.ctx
        if ctx is None or not self.waiting:
            return  # not waiting for a card: drop it, never keep it
        self._pause()
        self.method_used = identity.method
        ctx.session.set_identity(identity)
        say(self.status, tr("读卡成功，正在核验身份……"))
        ctx.run(lambda: ctx.services.open_session(identity), self._opened, self._refused,
                busy=tr("读卡成功，正在核验身份，请稍候……"))

    def _opened(self, platform: Any) -> None:
        ctx = self.ctx
        if ctx is None:
            return
        if platform.identity is not None and platform.identity is not ctx.session.identity:
            ctx.session.set_identity(platform.identity)  # e-ID: the platform says who it is
        ctx.session.platform_token = platform.token
        ctx.session.results["profile"] = platform.profile
        proxy = self.proxy_button.isVisible() and self.proxy_button.isChecked()
        if proxy and not agent_comes_after(ctx, "identify"):
            self._stop_listening()
            self.agent.show()
            self._refresh_cards()
            say(self.status, "")
            say(self.error, "")
            say(self.proxy_hint, "")
            self.proxy_button.hide()
            self.agent.start(ctx)
            return
        self.done.emit({"method": self.method_used, "proxy": proxy})

    def _refused(self, exc: Exception) -> None:
        ctx = self.ctx
        if ctx is None:
            return
        if getattr(exc, "offline", False) and self.method_used in ASSERTED_METHODS and can_queue(ctx.item):
            # The platform is down, the card's chip was read here: an offline_queue item goes on
            # without a platform session and its application is queued with the kiosk's assertion.
            self.done.emit({"method": self.method_used, "proxy": False, "offline": True})
            return
        ctx.session.identity = None
        code = getattr(exc, "code", None)
        if code in SAY_AND_WAIT_CODES:
            say(self.error, messages.for_error(exc))
            say(self.status, tr("请刷新后重新扫码，或换一种方式。"))
            self._resume()
            return
        others = [m for m in self._usable() if m != self.method_used]
        other_way = (lambda: self._other_way(self.method_used)) if others or code in OTHER_WAY_CODES else None
        retry = None if code in OTHER_WAY_CODES else self._resume
        ctx.fail(exc, retry=retry, other_way=other_way)

    def _other_way(self, method: str) -> None:
        """Back from the error screen: the item's other methods, and the window."""
        ctx = self.ctx
        if ctx is None:
            return
        self.excluded.add(method)
        say(self.error, "" if self._usable() else messages.text("identify.no_other_way"))
        say(self.status, tr("请改用下面的方式核验身份。") if self._usable() else "")
        self._show_window(ctx)
        self._refresh_cards()
        self._resume()

    def _show_window(self, ctx: StepContext) -> None:
        body = ctx.item.get("implementing_body") or {}
        say(self.window_text, messages.text("identify.window", name=body.get("name", ""),
                                               address=body.get("address", ""), phone=body.get("phone", "")))

    def retranslate(self) -> None:
        for method, c in self.cards.items():  # formatted, so not found back by i18n.retranslate_tree
            c.picture.setAccessibleName(tr("{what}放置位置示意图").format(what=tr(METHODS[method].name)))

    def clear_personal_data(self) -> None:
        super().clear_personal_data()
        self.watch.stop()
        self.agent.clear()
        say(self.error, "")
        say(self.status, "")
