"""The resident journey: home → item → identity → service call → document → print → take away → home.

The journey owns the session and decides which screen comes next. Every blocking call (backend,
printer, device enable) runs through `run_op` off the GUI thread; device data arrives through a
DeviceBridge as queued signals. Screens only show things and emit the resident's choices.

Flow kinds built so far: `print` (document shown, then printed). Items of the other kinds
show an honest "not yet available here" message (built in the resident-UI issues).
"""

from __future__ import annotations

import logging
from typing import Any, Protocol

from PySide6.QtCore import QObject, QTimer, Signal

from kiosk.devices.model import Device, DeviceState, DeviceStatus
from kiosk.services.session import Identity, Session
from kiosk.ui.device_bridge import DeviceBridge
from kiosk.ui.main_window import MainWindow
from kiosk.ui.ops import run_op, user_message
from kiosk.ui.screens.busy import BusyScreen
from kiosk.ui.screens.document import DocumentScreen
from kiosk.ui.screens.home import HomeScreen
from kiosk.ui.screens.identify import IdentifyScreen
from kiosk.ui.screens.message import MessageScreen
from kiosk.ui.screens.take_away import TakeAwayScreen
from kiosk.ui.widgets import mask_id_number

log = logging.getLogger(__name__)
BUILT_FLOWS = ("print",)


class Services(Protocol):
    """What the journey needs from the service layer (kiosk/services)."""

    def home_items(self, prefer_flows: tuple[str, ...] = ()) -> list[dict[str, Any]]: ...
    def document_for(self, item: dict[str, Any], identity: Identity) -> dict[str, Any]: ...
    def print_document(self, document: dict[str, Any]) -> None: ...
    def record_event(self, event_type: str, item: dict[str, Any] | None = None, *,
                     outcome: str | None = None, elderly_mode: bool | None = None) -> None: ...
    @property
    def offline(self) -> bool: ...
    def check_online(self) -> bool: ...


OFFLINE_WHAT = "网络中断，暂时连不上政务服务平台，「{name}」需要联网才能办理。"
OFFLINE_NEXT = "您可以稍后再试，或到村（社区）便民服务站窗口办理；如急需办理请联系工作人员。"
STATUS_ONLINE = "已连接政务服务平台"
STATUS_OFFLINE = "网络中断：暂不能在线办理业务，请稍后再试或联系工作人员"
STATUS_CONNECTING = "正在连接政务服务平台……"


def status_text(state: Any) -> tuple[str, bool]:
    """The status-line text for a ConnectivityState, and whether it is an offline warning."""
    if state.online is None:
        return STATUS_CONNECTING, False
    return (STATUS_ONLINE, False) if state.online else (STATUS_OFFLINE, True)


class Devices(Protocol):
    def get(self, device_id: str) -> Device | None: ...


class Journey(QObject):
    """Drives the screens. Signals are for tests and the technician view."""

    screen_changed = Signal(str)
    session_wiped = Signal()

    def __init__(self, window: MainWindow, services: Services, devices: Devices, session: Session,
                 take_away_s: float = 20.0) -> None:
        super().__init__(window)
        self.window = window
        self.services = services
        self.devices = devices
        self.session = session
        self.take_away_s = int(take_away_s)
        self.printed = False

        self.home: HomeScreen = window.add_screen(HomeScreen())  # type: ignore[assignment]
        self.identify: IdentifyScreen = window.add_screen(IdentifyScreen())  # type: ignore[assignment]
        self.busy: BusyScreen = window.add_screen(BusyScreen())  # type: ignore[assignment]
        self.doc: DocumentScreen = window.add_screen(DocumentScreen())  # type: ignore[assignment]
        self.message: MessageScreen = window.add_screen(MessageScreen())  # type: ignore[assignment]
        self.take_away: TakeAwayScreen = window.add_screen(TakeAwayScreen())  # type: ignore[assignment]

        self.home.item_chosen.connect(self.start_item)
        self.identify.cancelled.connect(lambda: self.go_home("cancelled"))
        self.doc.home_requested.connect(lambda: self.go_home("done"))
        self.doc.print_requested.connect(self.print_document)
        self.message.home_clicked.connect(lambda: self.go_home("message"))
        self.take_away.done.connect(lambda: self.go_home("done"))
        self._retry: Any = None
        self.message.primary_clicked.connect(lambda: self._retry and self._retry())

        self._countdown = QTimer(self, interval=1000)
        self._countdown.timeout.connect(self._tick_take_away)
        self._left = 0

        self.idcard_bridge: DeviceBridge | None = None
        idcard = devices.get("idcard")
        if idcard is not None:
            self.idcard_bridge = DeviceBridge(idcard, self)
            self.idcard_bridge.data_received.connect(self._on_card)
            self.idcard_bridge.error_received.connect(self._on_card_error)
            self.idcard_bridge.status_changed.connect(self._on_idcard_status)
        session.add_wipe_listener(self._on_wipe)
        window.elderly_toggled.connect(self.home.set_elderly)

    @property
    def document(self) -> dict[str, Any] | None:
        """The document of this session (it lives in the Session, so wipe() drops it)."""
        return self.session.results.get("document")

    # ---- navigation -------------------------------------------------------------------------
    def _show(self, name: str) -> None:
        self.window.show_screen(name)
        self.screen_changed.emit(name)

    def _event(self, event_type: str, outcome: str | None = None) -> None:
        """A usage statistic (no personal data), written to the outbox off the GUI thread."""
        item, elderly = self.session.item, self.window.elderly_button.isChecked()
        run_op(lambda: self.services.record_event(event_type, item, outcome=outcome, elderly_mode=elderly),
               lambda _: None, lambda exc: None)

    def go_home(self, reason: str = "done") -> None:
        self._countdown.stop()
        self._set_reader(False)
        if self.session.active:
            outcome = {"done": "success", "take_away_timeout": "success", "inactivity": "timeout",
                       "message": "error"}.get(reason, "cancel")
            if self.printed:
                outcome = "success"
            self._event("item.end", outcome)
            self.session.wipe(reason)
        self._show("home")

    def load_home(self) -> None:
        """Fetch the home items off the GUI thread; show home either way."""
        self._show("home")
        run_op(lambda: self.services.home_items(BUILT_FLOWS), self.home.set_items,
               lambda exc: (self.home.set_items([]), self.window.set_status(user_message(exc), True)))

    # ---- journey steps ----------------------------------------------------------------------
    def start_item(self, item: dict[str, Any]) -> None:
        self.session.start(item)
        self._event("item.start")
        if item.get("flow") not in BUILT_FLOWS:
            self._message("暂未开通", f"本终端暂未开通「{item['name']}」的自助办理。",
                          "请到村（社区）便民服务站窗口办理，或返回首页选择其他业务。")
            return
        if "idcard" not in item.get("auth_methods", []) or self.idcard_bridge is None:
            self._message("无法核验身份", "本终端的身份证读卡器暂不可用。",
                          "请联系工作人员，或到服务窗口办理。")
            return
        if self.services.offline:  # known to be down: ask once more before asking for the card
            self.busy.prepare("正在连接政务服务平台，请稍候……")
            self._show("busy")
            run_op(self.services.check_online, lambda ok: self._after_check(item, ok),
                   lambda exc: self._after_check(item, False))
            return
        self._ask_for_card(item)

    def _after_check(self, item: dict[str, Any], online: bool) -> None:
        if self.session.item is not item:
            return  # the resident left meanwhile
        if online:
            self._ask_for_card(item)
        else:
            self._message("暂时无法办理", OFFLINE_WHAT.format(name=item["name"]), OFFLINE_NEXT)

    def _ask_for_card(self, item: dict[str, Any]) -> None:
        self.identify.prepare(item["name"])
        self._show("identify")
        self._set_reader(True)

    def _set_reader(self, on: bool) -> None:
        if self.idcard_bridge is None:
            return
        device = self.idcard_bridge.device
        if on:
            device.events.clear()  # a card placed before this screen is not this resident's
            errors = getattr(device, "read_errors", None)
            if errors is not None:
                errors.clear()
            device.enable()
        else:
            device.disable()

    def _on_idcard_status(self, status: DeviceStatus) -> None:
        if self.window.current != "identify":
            return
        if status.state in (DeviceState.OFFLINE, DeviceState.NO_DEVICE, DeviceState.HW_ERROR):
            self.identify.show_error("读卡器连接中断，正在自动重连。如长时间无法读卡，请联系工作人员。")
        elif status.state == DeviceState.ONLINE:
            self.identify.error.setText("")

    def _on_card_error(self, failure: Any) -> None:
        """A placed card could not be read: say so and keep waiting (the reader stays enabled)."""
        if self.window.current == "identify":
            self.identify.show_error(user_message(failure))

    def _on_card(self, card: Any) -> None:
        if self.window.current != "identify" or self.session.item is None:
            return  # not waiting for a card: drop it, never keep it
        self._set_reader(False)
        self.session.set_identity(Identity(
            method="idcard", name=card.name, id_number=card.id_number,
            card_type=card.card_type, birth_date=card.birth_date or ""))
        self._fetch_document()

    def _fetch_document(self) -> None:
        item, identity = self.session.item, self.session.identity
        assert item is not None and identity is not None
        self.busy.prepare(f"正在为您办理「{item['name']}」，请稍候……")
        self._show("busy")
        run_op(lambda: self.services.document_for(item, identity), self._show_document,
               lambda exc: self._failed(exc, retry=self._fetch_document))

    def _show_document(self, document: dict[str, Any]) -> None:
        if self.session.item is None:
            return  # the session ended while we waited
        self.session.results["document"] = document
        self.printed = False
        self.doc.show_document(document["title"], self._screen_rows(document),
                               note="请核对以下信息，确认无误后点击「打印证明」。")
        self._show("document")

    @staticmethod
    def _screen_rows(document: dict[str, Any]) -> list[tuple[str, str]]:
        rows = []
        for name, value in document.get("lines", []):
            if "身份号码" in name or "证件号码" in name:
                value = mask_id_number(str(value))  # on screen it need not be read in full
            rows.append((str(name), str(value)))
        if document.get("certificate_no"):
            rows.append(("证明编号", document["certificate_no"]))
        return rows

    def print_document(self) -> None:
        document = self.document
        if document is None:
            return
        self.busy.prepare("正在打印，请稍候……")
        self._show("busy")
        run_op(lambda: self.services.print_document(document), lambda _: self._printed(),
               lambda exc: self._failed(exc, retry=self.print_document))

    def _printed(self) -> None:
        self.printed = True
        self.take_away.prepare(printed=True, card=True)
        self._left = self.take_away_s
        self.take_away.set_seconds_left(self._left)
        self._show("take_away")
        self._countdown.start()

    def _tick_take_away(self) -> None:
        self._left -= 1
        if self._left <= 0:
            self.go_home("take_away_timeout")
        else:
            self.take_away.set_seconds_left(self._left)

    # ---- errors and wipe --------------------------------------------------------------------
    def _failed(self, exc: Exception, retry: Any) -> None:
        if self.session.item is None:
            return
        self._message("没有办成", user_message(exc), "您可以点「重试」，或返回首页。多次失败请联系工作人员。",
                      retry=retry)

    def _message(self, title: str, what: str, next_step: str, retry: Any = None) -> None:
        self._retry = retry
        self.message.prepare(title, what, next_step, "重试" if retry else None)
        self._show("message")

    def _on_wipe(self) -> None:
        self.printed = False
        self._retry = None
        for screen in self.window.screens.values():
            screen.clear_personal_data()
        if self.idcard_bridge is not None:
            self.idcard_bridge.device.events.clear()
        self.session_wiped.emit()
