"""The one flow runner: walks an item's Plan, one step screen at a time.

- Steps come from `kiosk.services.flows.plan(item)`; screens from the step registry (kiosk/ui/steps).
  A screen emits `done(result)`; the runner stores it in the Session (by step kind) and shows the next.
- The journey bar shows "第 2 步，共 5 步" with 上一步 and 返回首页. Back from the first step, home, and
  every other way out wipe the session. After a committing step (a print, a submission, a payment…)
  there is no going back.
- `run(fn, on_ok)` wraps run_op: a result that arrives after the resident moved on, or after the
  session was wiped, is dropped here, in one place (by session id and step visit).
- `fail(exc)` shows the one error screen: what happened (the message code's text), what to do next,
  and 重试 / 换一种方式 / 请联系工作人员 / 返回首页. The session then goes on or ends cleanly.
No item or flow kind is special-cased here: everything item-specific is data in the plan.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any, Protocol

from PySide6.QtCore import QObject, Signal

from kiosk import startup_trace
from kiosk.services import messages
from kiosk.services.flows import COMMITTING_STEPS, Plan, PlanError, plan, time_scale
from kiosk.services.service_desk import can_queue
from kiosk.services.session import Session
from kiosk.ui import privacy, receipt_text
from kiosk.ui.i18n import Languages, item_text, retranslate_tree, tr
from kiosk.ui.language_offer import LanguageOffer
from kiosk.ui.main_window import MainWindow
from kiosk.ui.ops import run_op
from kiosk.ui.proxy_agent import persons_line
from kiosk.ui.screens.busy import BusyScreen
from kiosk.ui.screens.error import ErrorScreen
from kiosk.ui.screens.home import HomeScreen
from kiosk.ui.screens.not_built import NotBuiltScreen
from kiosk.ui.steps import StepContext, StepScreen, screen_classes

log = logging.getLogger(__name__)

# What a journey's end means for the usage statistics.
OUTCOMES = {"done": "success", "rated": "success", "inactivity": "timeout", "error": "error"}


class Services(Protocol):
    """What the runner itself needs from the service layer (steps use more; see ServiceDesk)."""

    def home_items(self) -> list[dict[str, Any]]: ...
    def record_event(self, event_type: str, item: dict[str, Any] | None = None, *,
                     outcome: str | None = None, elderly_mode: bool | None = None) -> None: ...
    @property
    def offline(self) -> bool: ...
    def check_online(self) -> bool: ...
    def request_assistance(self, screen: str, item: dict[str, Any] | None = None) -> dict[str, Any]: ...


class FlowRunner(QObject):
    screen_changed = Signal(str)  # a step kind, or home / busy / error / not_built
    session_wiped = Signal()

    def __init__(self, window: MainWindow, services: Any, devices: Any, session: Session,
                 settings: dict[str, Any] | None = None) -> None:
        super().__init__(window)
        self.window, self.services, self.devices, self.session = window, services, devices, session
        self.settings = dict(settings or {})  # e.g. take_away_s, read by steps
        self.voice: Any = None  # kiosk/ui/voice.py Voice, set by voice.attach (steps: ctx.say)
        self.plan: Plan | None = None
        self.index = -1
        self.committed = False
        self._visit = 0  # bumped on every step change and at home: stale results are recognised by it
        self._shows = 0  # screens shown so far
        self._entering = False  # a step's enter() is running: a busy wait shows instead of the step
        self._pending_busy: str | None = None
        self._failed = False  # the journey hit the error screen (for the usage statistics)

        self.languages = Languages(self)  # before the screens: their text goes through it
        self.home: HomeScreen = window.add_screen(HomeScreen())  # type: ignore[assignment]
        self.busy: BusyScreen = window.add_screen(BusyScreen())  # type: ignore[assignment]
        self.error: ErrorScreen = window.add_screen(ErrorScreen())  # type: ignore[assignment]
        self.not_built: NotBuiltScreen = window.add_screen(NotBuiltScreen())  # type: ignore[assignment]
        self.steps: dict[str, StepScreen] = {}
        for kind, cls in screen_classes().items():
            screen = cls()
            screen.done.connect(lambda result, s=screen: self._on_done(s, result))
            self.steps[kind] = window.add_screen(screen)  # type: ignore[assignment]

        self.home.item_chosen.connect(self.start_item)
        self.home.help_requested.connect(lambda: self.request_help())
        self.not_built.home_clicked.connect(lambda: self.go_home("done"))
        self.error.home_clicked.connect(lambda: self.go_home("error"))
        self.error.help_clicked.connect(lambda: self.request_help())
        window.back_clicked.connect(self.back)
        window.home_clicked.connect(lambda: self.go_home("cancelled"))
        window.help_clicked.connect(lambda: self.request_help())
        window.elderly_toggled.connect(self.home.set_elderly)
        self.home.language_chosen.connect(self.set_language)
        self.language_offer = LanguageOffer()  # under the title bar's notice: 'J' / 'I' / 'Y' cards
        layout = window.notice.parentWidget().layout()
        layout.insertWidget(layout.indexOf(window.notice) + 1, self.language_offer)
        self.language_offer.accepted.connect(self.set_language)
        window.elderly_toggled.connect(self._on_mode)
        self.home.timer.expired.connect(self.end_mode)  # nobody at the kiosk: the next visitor starts standard
        session.add_wipe_listener(self._on_wipe)

    # ---- where we are -----------------------------------------------------------------------
    @property
    def current_step(self) -> StepScreen | None:
        if self.plan is None or not 0 <= self.index < len(self.plan):
            return None
        return self.steps.get(self.plan.steps[self.index].kind)

    def _show(self, name: str) -> None:
        self._shows += 1
        self.window.show_screen(name)
        self.update_bar(name)
        self.screen_changed.emit(name)

    def update_bar(self, name: str) -> None:
        if self.plan is None or name in ("home", "error", "not_built"):
            self.window.set_journey(None)  # those screens carry their own ways on
            return
        total = len(self.plan)
        back = name != "busy" and not self.committed
        name_text = item_text(self.session.item or {}, "name")
        people = persons_line(self.session)  # 代办: 办理人 and 代办人 on every later screen
        text = tr("{name}　第 {n} 步，共 {total} 步").format(name=name_text, n=self.index + 1, total=total) \
            + (f"\n{people}" if people else "")
        self.window.set_journey(text, can_back=back)

    # ---- starting and walking -----------------------------------------------------------------
    def load_home(self) -> None:
        """Show home and fetch its items off the GUI thread."""
        self._show("home")

        def arrived(items: list[dict[str, Any]]) -> None:
            startup_trace.mark("items arrived")
            self.home.set_items(items)

        run_op(self.services.home_items, arrived,
               lambda exc: (self.home.set_items([]), self.window.set_status(messages.for_error(exc), True)))

    def home_loaded(self) -> bool:
        """A resident can use the terminal: home shows its items (or says it could not load them).
        The systemd READY condition (kiosk/ui/watchdog.py)."""
        return self.window.current == "home" and self.home.loaded

    @property
    def mode(self) -> str:
        """standard or elderly (长者模式): which params the plan's steps get (flows/modes.py)."""
        return "elderly" if self.window.elderly_button.isChecked() else "standard"

    def _on_mode(self, _on: bool) -> None:
        """长者模式 switched (on home, or from the offer after a 60+ card): the same plan with the
        mode's params from here on, and the watcher's time scaled."""
        watcher = getattr(self.window, "watcher", None)
        if watcher is not None:
            watcher.scale = time_scale(self.mode)
        if self.plan is not None and self.session.item is not None:
            replanned = plan(self.session.item, mode=self.mode)
            if replanned.kinds == self.plan.kinds:  # always: a mode never changes the steps
                self.plan = replanned
        self.update_bar(self.window.current)

    def end_mode(self) -> None:
        """The mode lasts one session: back to standard (at wipe, and when home sits untouched)."""
        if self.window.elderly_button.isChecked():
            self.window.elderly_button.setChecked(False)

    def _maybe_offer_elderly(self) -> None:
        """The card says 60 or older (the platform's profile): offer 长者模式 once per session, as a
        banner on the screens that follow; never switch without being asked."""
        profile = self.session.results.get("profile") or {}
        if profile.get("elderly") and self.mode == "standard" and not self.session.results.get("elderly_offered"):
            self.session.results["elderly_offered"] = True
            self.window.offer_elderly()

    def start_item(self, item: dict[str, Any]) -> None:
        try:
            item_plan = plan(item, mode=self.mode)
        except PlanError as exc:
            log.error("no plan for item %s: %s", item.get("id"), exc)
            self.fail(exc)
            return
        self.session.start(item)
        self.plan, self.index, self.committed, self._failed = item_plan, -1, False, False
        self._event("item.start")
        self._go(0)

    def _go(self, index: int) -> None:
        assert self.plan is not None and self.session.item is not None
        old = self.current_step
        if old is not None:
            old.leave()
        self._visit += 1
        self.index = index
        step = self.plan.steps[index]
        if step.kind == "not_built":
            self.not_built.prepare(self.session.item, step.params)
            self._show("not_built")
            return
        screen = self.steps[step.kind]
        self._entering, self._pending_busy, shows = True, None, self._shows
        try:
            screen.enter(StepContext(self, self.session.item, self.plan, step, index))
        finally:
            self._entering = False
        if self._pending_busy is not None:  # enter() started a blocking call: wait on the busy screen
            self.busy.prepare(self._pending_busy)
            self._show("busy")
        elif self._shows == shows:  # unless enter() already showed something (it failed at once)
            self._show(step.kind)

    def _on_done(self, screen: StepScreen, result: Any) -> None:
        if self.current_step is not screen or self.plan is None:
            return  # a late signal from a screen that is no longer current
        kind = self.plan.steps[self.index].kind
        self.session.results[kind] = result
        if self.session.identity is not None:  # a card just identified someone: its language, once
            self.language_offer.consider(self.session.identity.card_type, self.languages.language)
        self._maybe_offer_elderly()
        if kind in COMMITTING_STEPS:
            self.committed = True
        if self.index + 1 >= len(self.plan):
            self.go_home("rated" if kind == "rate" else "done")
            return
        nxt = self.plan.steps[self.index + 1].kind
        if kind == "guide" and nxt != "not_built" and self._needs_network_check():
            self.run(self.services.check_online, lambda ok: self._after_check(ok),
                     lambda exc: self._after_check(False), busy=tr("正在连接政务服务平台，请稍候……"))
            return
        self._go(self.index + 1)

    def _needs_network_check(self) -> bool:
        return bool(self.services.offline)

    def _after_check(self, online: bool) -> None:
        item = self.session.item or {}
        if online or can_queue(item):  # an offline_queue item with a card check goes on; it is queued
            self._go(self.index + 1)
            return
        guide = self.current_step
        self.fail(messages.CodedError("backend.offline_item", "platform unreachable", name=item.get("name", "")),
                  retry=lambda: guide is not None and self._on_done(guide, self.session.results.get("guide")))

    def back(self) -> None:
        if self.plan is None or self.committed:
            return
        if self.index <= 0:
            self.go_home("cancelled")
        else:
            self._go(self.index - 1)

    def commit(self) -> None:
        """The current step did its irreversible work before it ends (a payment was made, a slot
        booked, a number taken): no 上一步 from now on."""
        self.committed = True
        self.update_bar(self.window.current)

    def revisit(self, kind: str, exc: BaseException) -> bool:
        """Go back to an earlier step to fix what the platform refused (e.g. a form_invalid value
        on its field's page). False when the plan has no such step before this one."""
        if self.plan is None or kind not in self.plan.kinds[: self.index]:
            return False
        self._go(self.plan.kinds.index(kind))
        screen = self.steps[kind]
        show = getattr(screen, "show_invalid", None)
        if show is not None:
            show(getattr(exc, "field", None), messages.for_error(exc))
        return True

    def go_home(self, reason: str = "done") -> None:
        if reason == "error" and self.plan is not None and "rate" in self.plan.kinds \
                and self.window.current != "rate":
            self.committed = True  # from the rating, the only way on is home
            self._failed = True
            self._go(self.plan.kinds.index("rate"))  # 好差评 after a failed item too (voluntary: 跳过)
            return
        step = self.current_step
        if step is not None:
            step.leave()
        if self.session.active:
            outcome = "success" if self.committed else OUTCOMES.get(reason, "cancel")
            if self._failed:
                outcome = "error"
            self._event("item.end", outcome)
            self.session.wipe(reason)
        self.plan, self.index, self.committed, self._failed = None, -1, False, False
        self._visit += 1
        self._show("home")

    # ---- blocking work and failures ---------------------------------------------------------
    def run(self, fn: Callable[[], Any], on_ok: Callable[[Any], None],
            on_fail: Callable[[Exception], None] | None = None, *, busy: str | None = None) -> None:
        session_id, visit = self.session.id, self._visit
        step = self.current_step
        if busy is not None and self._entering:
            self._pending_busy = busy
        elif busy is not None:
            self.busy.prepare(busy)
            self._show("busy")

        def stale() -> bool:
            return self.session.id != session_id or self._visit != visit

        def ok(result: Any) -> None:
            if stale():
                log.debug("dropped a result of session %s (moved on)", session_id)
                return
            self._back_from_busy(step, busy)
            on_ok(result)

        def failed(exc: Exception) -> None:
            if stale():
                log.debug("dropped a failure of session %s (moved on): %s", session_id, type(exc).__name__)
                return
            self._back_from_busy(step, busy)
            (on_fail or self.fail)(exc)

        run_op(fn, ok, failed)

    def _back_from_busy(self, step: StepScreen | None, busy: str | None) -> None:
        if busy is not None and step is not None and self.window.current == "busy":
            self._show(step.name)

    def fail(self, exc: BaseException, retry: Callable[[], None] | None = None,
             other_way: Callable[[], None] | None = None) -> None:
        """The one error screen. 重试 returns to the step and calls `retry`."""
        step = self.current_step

        def do_retry() -> None:
            if step is not None:
                self._show(step.name)
            if retry is not None:
                retry()

        def do_other() -> None:
            if step is not None:
                self._show(step.name)
            if other_way is not None:
                other_way()

        self.error.prepare(messages.for_error(exc), retry=do_retry if retry else None,
                           other_way=do_other if other_way else None)
        self._show("error")

    # ---- help ---------------------------------------------------------------------------------
    def request_help(self) -> None:
        """帮办: tell the staff which screen the resident is on (POST /assistance), say they are coming."""
        screen, item = self.window.current, self.session.item
        self.window.show_notice(tr("正在呼叫工作人员……"))
        run_op(lambda: self.services.request_assistance(screen, item), self._help_called,
               lambda exc: self.window.show_notice(messages.text("assistance.failed")))

    def _help_called(self, answer: dict | None) -> None:
        """Staff are coming: said by the remote-help band where the platform offers video help (one
        band, the notice goes), else by the notice."""
        called = messages.text("assistance.called")
        if self.window.remote_help.show_remote(answer, headline=called):
            self.window.notice.hide()
            self.window.fit_bars()  # as tall as its lines at this width
        else:
            self.window.show_notice(called)

    # ---- statistics and wipe ------------------------------------------------------------------
    def _event(self, event_type: str, outcome: str | None = None) -> None:
        """A usage statistic (no personal data), written to the outbox off the GUI thread."""
        item, elderly = self.session.item, self.window.elderly_button.isChecked()
        run_op(lambda: self.services.record_event(event_type, item, outcome=outcome, elderly_mode=elderly),
               lambda _: None, lambda exc: None)

    def set_language(self, language: str) -> None:
        """The session's UI language (简 / 繁 / EN on home, the card's offer): every screen, the
        title bar and the voice follow; wipe goes back to zh_CN."""
        old = self.languages.language
        self.languages.set_language(language)
        new = self.languages.language
        self.session.language = new
        receipt_text.install(new, lambda: self.session.item)
        if new == old:
            return
        retranslate_tree(self.window, old, new)  # every static label and button, all screens
        self.window.retranslate()
        for screen in self.window.screens.values():
            screen.retranslate()  # what a screen built from data or formatted itself
        if self.voice is not None:
            self.voice.set_ui_language(new)
        self.update_bar(self.window.current)
        if self.voice is not None and self.window.current in self.window.screens:
            self.voice.say_prompt(self.window.screens[self.window.current])

    def _on_wipe(self) -> None:
        self.language_offer.reset()
        if self.languages.language != "zh_CN":
            self.set_language("zh_CN")
        self.end_mode()  # before session_wiped: the voice resets to what the mode then says
        self.window.offer_elderly(False)
        self.window.remote_help.clear()
        for screen in self.window.screens.values():
            screen.clear_personal_data()
        privacy.forget()  # pixmap cache, clipboard, the session's temporary files
        self.session_wiped.emit()
