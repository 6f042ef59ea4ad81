"""The kiosk window: a title bar (name, clock, 长者模式, 帮办), the offline banner, the journey bar,
the screen stack, a status line. The window is 1920×1080 or 1080×1920 (`display.orientation`)."""

from __future__ import annotations

import logging
import re

from PySide6.QtCore import QDateTime, QEvent, QSize, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QHBoxLayout,
    QLayout,
    QMainWindow,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from kiosk.ui import icons, theme
from kiosk.ui.help_panel import RemoteHelpPanel
from kiosk.ui.i18n import tr
from kiosk.ui.keyboard import ScreenKeyboard
from kiosk.ui.layout_items import take_items
from kiosk.ui.screens.base import Screen
from kiosk.ui.technician.corner import CornerZone
from kiosk.ui.voice_panel import VoicePanel
from kiosk.ui.widgets import FitLabel, PageStack, button, label, restyle

log = logging.getLogger(__name__)

STATUS_ONLINE = tr("已连接政务服务平台")
STATUS_OFFLINE = tr("网络中断：暂不能在线办理业务，请稍后再试或联系工作人员")
STATUS_CONNECTING = tr("正在连接政务服务平台……")
OFFLINE_BANNER = tr("网络中断：暂时不能在线办理，办事指南照常可看。请稍后再试，或点右上角「帮办」找工作人员。")
SIZES = {"landscape": (1920, 1080), "portrait": (1080, 1920)}  # the kiosk's touch screen
RAIL_PX = 380  # the rail's width (长者模式, landscape): 返回首页 and 第 2 步，共 5 步 at the elderly type
BANNER_SCREENS = ("home",)  # where the offline banner shows (the journey's own screens say it themselves)


def status_text(state: object) -> tuple[str, bool]:
    """The status-line text for a ConnectivityState, and whether it is an offline warning."""
    online = getattr(state, "online", None)
    if online is None:
        return tr(STATUS_CONNECTING), False
    return (tr(STATUS_ONLINE), False) if online else (tr(STATUS_OFFLINE), True)


class IdleWarning(QFrame):
    """'Still there?' with a countdown and one big button to continue. Standard mode: a card over the
    screen. 长者模式: the whole screen, calmer words, no pop-up (MIIT 适老化: no pop-ups)."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setProperty("role", "card")
        lay = QVBoxLayout(self)
        lay.setContentsMargins(48, 40, 48, 40)
        lay.setSpacing(24)
        self.text = label("", "subtitle")
        self.text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        lay.addWidget(self.text)
        self.resume = button(tr("继续办理"), "primary")
        lay.addWidget(self.resume)
        self.full_screen = False
        parent.installEventFilter(self)  # full screen follows the screen area (a banner came or went)
        self.hide()

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 (Qt API)
        if self.full_screen and obj is self.parentWidget() and event.type() == QEvent.Type.Resize:
            self.setGeometry(obj.rect())
        return False

    def show_seconds(self, seconds: int) -> None:
        parent = self.parentWidget()
        self.full_screen = parent.window().property("theme") == "elderly"
        self.setProperty("role", "idleScreen" if self.full_screen else "card")
        restyle(self)
        if self.full_screen:
            self.text.setText(tr("您还在办理吗？不着急，慢慢来。\n要继续，请点下面的「继续办理」。\n"
                                 "{seconds} 秒后回到首页，您的信息会被清除。").format(seconds=seconds))
            self.setGeometry(parent.rect())
        else:
            self.text.setText(tr("您还在操作吗？\n{seconds} 秒后将返回首页，并清除您的信息。").format(seconds=seconds))
            w = min(1100, parent.width() - 80)
            h = max(380, self.sizeHint().height())
            self.setGeometry((parent.width() - w) // 2, (parent.height() - h) // 2, w, h)
        self.show()
        self.raise_()


class MainWindow(QMainWindow):
    elderly_toggled = Signal(bool)
    back_clicked = Signal()
    home_clicked = Signal()
    help_clicked = Signal()
    technician_requested = Signal()  # 5 taps in the title bar's corner (kiosk/ui/technician/corner.py)

    def __init__(self, kiosk_id: str, orientation: str = "landscape") -> None:
        super().__init__()
        if orientation not in SIZES:
            raise ValueError(f"orientation must be one of {', '.join(SIZES)}, got {orientation!r}")
        self.orientation = orientation
        self.setWindowTitle(tr("粤智助 · 政务服务自助终端"))
        root = QWidget()
        outer = QVBoxLayout(root)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)

        self.title_bar = bar = QFrame(objectName="titleBar")
        bar_lay = QHBoxLayout(bar)
        bar_lay.setContentsMargins(28, 8, 28, 8)
        bar_lay.setSpacing(16)
        self.logo = label("", "titleIcon", wrap=False)
        bar_lay.addWidget(self.logo)
        names = QVBoxLayout()
        names.setSpacing(0)
        # The full name when it fits, else the short one: the bar never clips (portrait, 长者模式).
        self.title_text = FitLabel((tr("粤智助 · 政务服务自助终端"), tr("粤智助 · 自助终端"), tr("粤智助")))
        self.title_text.setObjectName("titleBarText")
        names.addWidget(self.title_text)
        self.clock = label("", wrap=False)
        self.clock.setObjectName("clock")
        names.addWidget(self.clock)
        bar_lay.addLayout(names, 1)
        self.elderly_button = button(tr("长者模式"), "bar")
        self.elderly_button.setObjectName("elderlyToggle")
        self.elderly_button.setAccessibleName(tr("长者模式"))
        self.elderly_button.setCheckable(True)
        self.elderly_button.toggled.connect(self._on_elderly)
        bar_lay.addWidget(self.elderly_button)
        self.help_button = button(tr("帮办"), "bar")  # calls the staff from any screen (POST /assistance)
        self.help_button.setObjectName("helpButton")
        self.help_button.setAccessibleName(tr("帮办"))
        self.help_button.clicked.connect(self.help_clicked.emit)
        bar_lay.addWidget(self.help_button)
        outer.addWidget(bar)
        fixed = (QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)  # bars as tall as their buttons
        bar.setSizePolicy(*fixed)
        self.corner = CornerZone(bar)  # the hidden technician entry, over the bar's top-left corner
        self.corner.move(0, 0)
        self.corner.raise_()
        self.corner.activated.connect(self.technician_requested.emit)

        self.notice = label("", "notice")
        self.notice.setObjectName("notice")
        self.notice.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.notice.hide()
        outer.addWidget(self.notice)
        self._notice_timer = QTimer(self, singleShot=True, interval=20_000)
        self._notice_timer.timeout.connect(self.notice.hide)

        self.remote_help = RemoteHelpPanel()  # 帮办's video help QR, after POST /assistance answered
        self.remote_help.setSizePolicy(*fixed)
        outer.addWidget(self.remote_help)

        # 长者模式 offered once to a 60+ card holder: a banner on the screen they are on, never a step.
        self.elderly_offer = QFrame(objectName="elderlyOffer")
        offer_lay = QHBoxLayout(self.elderly_offer)
        offer_lay.setContentsMargins(32, 8, 32, 8)
        offer_lay.setSpacing(24)
        self.elderly_offer_text = label(tr("需要大字、慢一点吗？可以切换到长者模式：字更大，步骤更少，有语音。"), "offer")
        offer_lay.addWidget(self.elderly_offer_text, 1)
        self.elderly_offer_yes = button(tr("切换到长者模式"), "primary")
        self.elderly_offer_yes.clicked.connect(lambda: (self.elderly_offer.hide(),
                                                        self.elderly_button.setChecked(True)))
        offer_lay.addWidget(self.elderly_offer_yes)
        self.elderly_offer_no = button(tr("不用了"))
        self.elderly_offer_no.clicked.connect(self.elderly_offer.hide)
        offer_lay.addWidget(self.elderly_offer_no)
        self.elderly_offer.hide()
        self.elderly_offer.setSizePolicy(*fixed)
        outer.addWidget(self.elderly_offer)

        # While the platform is unreachable, home says so at once (before anyone taps an item).
        self.offline_banner = label(OFFLINE_BANNER, "offlineBanner")
        self.offline_banner.setObjectName("offlineBanner")
        self.offline_banner.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.offline_banner.hide()
        self.offline = False
        outer.addWidget(self.offline_banner)

        # The journey bar: where the resident is in the plan, and the two ways back.
        self.journey_bar = QFrame(objectName="journeyBar")
        QHBoxLayout(self.journey_bar).setContentsMargins(32, 8, 32, 8)
        self.back_button = button(tr("上一步"))
        self.back_button.setObjectName("backButton")
        self.back_button.clicked.connect(self.back_clicked.emit)
        self.progress = label("", "progress")
        self.progress.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.home_button = button(tr("返回首页"))
        self.home_button.setObjectName("homeButton")
        self.home_button.clicked.connect(self.home_clicked.emit)
        self.journey_bar.hide()
        self.journey_bar.setSizePolicy(*fixed)
        outer.addWidget(self.journey_bar)
        # 长者模式 in landscape, during a journey: the journey bar and the status bar become one column
        # on the left (the rail), so a step has the screen's whole height below the title bar. At the
        # elderly sizes a keypad, a date or a list of choices does not fit between two bars on a
        # 1080 px tall screen; 1,580 px of width are plenty. Home keeps the bars (it has no journey).
        self.rail = QFrame(objectName="journeyRail")
        rail_lay = QVBoxLayout(self.rail)
        rail_lay.setContentsMargins(20, 16, 20, 16)
        rail_lay.setSpacing(16)
        self.rail.setFixedWidth(RAIL_PX)
        self.rail.hide()
        self._journey: tuple[str, bool] | None = None
        self._railed = False
        body = QHBoxLayout()
        body.setSpacing(0)
        body.addWidget(self.rail)
        content = QVBoxLayout()
        content.setSpacing(0)
        body.addLayout(content, 1)
        outer.addLayout(body, 1)

        self.stack = PageStack()
        # The screen's size is the terminal's: pages lay themselves out for it (portrait or landscape);
        # the current screen's own minimum decides whether it fits (with the keyboard open it has less
        # height), never what a hidden page would need.
        self.stack.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)
        self.stack.layout().setSizeConstraint(QLayout.SizeConstraint.SetNoConstraint)
        content.addWidget(self.stack, 1)
        self.keyboard = ScreenKeyboard()  # the on-screen Chinese keyboard, docked (kiosk/ui/keyboard.py)
        content.addWidget(self.keyboard)

        self.status_bar = status = QFrame(objectName="statusBar")
        QHBoxLayout(status).setContentsMargins(32, 6, 32, 6)
        # Voice guidance on every screen (kiosk/ui/voice.py), where the hands are: 重听 says the
        # screen's prompt again; 语音 opens the panel (on/off, 普通话/粤语, volume; voice_panel.py).
        self.repeat_button = button(tr("重听"), "voice")
        self.repeat_button.setObjectName("repeatButton")
        self.repeat_button.setAccessibleName(tr("重听"))
        self.voice_button = button(tr("语音：关"), "voice")
        self.voice_button.setObjectName("voiceButton")
        self.voice_button.setAccessibleName(tr("语音"))
        self.status_line = label("", "status", wrap=False)
        self.kiosk_id = kiosk_id
        self.kiosk_label = label(tr("终端编号 {id}").format(id=kiosk_id), "status", wrap=False)
        outer.addWidget(status)
        self._fill_bars()
        self.setCentralWidget(root)

        self.idle_warning = IdleWarning(self.stack)
        self.voice_panel = VoicePanel(self.stack)
        self.screens: dict[str, Screen] = {}
        self._tick_clock()
        self._clock_timer = QTimer(self, interval=10_000)
        self._clock_timer.timeout.connect(self._tick_clock)
        self._clock_timer.start()
        self.apply_theme("standard")

    def add_screen(self, screen: Screen) -> Screen:
        self.screens[screen.name] = screen
        self.stack.addWidget(screen)
        return screen

    def show_screen(self, name: str) -> Screen:
        screen = self.screens[name]
        self.stack.setCurrentWidget(screen)
        self.idle_warning.hide()
        self._update_banner()
        showing = getattr(screen, "showing", None)
        if showing is not None:  # every time it is shown, also when it was shown already (home → home)
            showing()
        return screen

    @property
    def current(self) -> str:
        w = self.stack.currentWidget()
        return w.name if isinstance(w, Screen) else ""

    def set_journey(self, progress: str | None, can_back: bool = True) -> None:
        """Show the journey bar ("第 2 步，共 5 步", 上一步, 返回首页), or hide it (None) on home."""
        self._journey = None if progress is None else (progress, can_back)
        self.back_button.setVisible(can_back)
        self._arrange()

    @property
    def journey(self) -> tuple[str, bool] | None:
        """What the journey bar shows now, (progress, can_back), to put back with set_journey."""
        return self._journey

    def _arrange(self) -> None:
        """The journey and status bars, or the rail (长者模式, landscape, in a journey)."""
        railed = (self._journey is not None and self.property("theme") == "elderly"
                  and self.width() > self.height())
        if railed != self._railed:
            self._railed = railed
            self._fill_bars()
        text = self._journey[0] if self._journey else ""
        if railed:  # the item's name on its lines, "第 3 步，共 8 步" on its own (zh: 　, en: · between)
            text = re.sub("　| · ", "\n", text, count=1)
        self.progress.setText(text)
        self.rail.setVisible(railed)
        self.journey_bar.setVisible(self._journey is not None and not railed)
        self.status_bar.setVisible(not railed)
        self.fit_bars()

    def fit_bars(self) -> None:
        """The bars above the stack are as tall as their wrapped lines at this width (a fixed-height
        bar is sized by its one-line hint: a long item name in portrait 长者模式 lost its last line)."""
        width = self.width()
        for bar in (self.journey_bar, self.remote_help):
            lay = bar.layout()
            need = lay.heightForWidth(width) if lay.hasHeightForWidth() else -1
            bar.setMinimumHeight(max(lay.sizeHint().height(), need))

    def _fill_bars(self) -> None:
        """Put the journey's and the status bar's widgets into the bars, or (railed) into the rail and
        the title bar: the rail holds 上一步, where the resident is, the status line and 返回首页;
        重听 and 语音 go beside 长者模式, so the rail is short enough for a long item name and a
        代办 line. The terminal number stays on home's status bar."""
        bar, jb, sb, rail = (self.title_bar.layout(), self.journey_bar.layout(), self.status_bar.layout(),
                             self.rail.layout())
        for w in (self.repeat_button, self.voice_button):
            bar.removeWidget(w)
        for lay in (jb, sb, rail):
            for _item in take_items(lay):
                pass  # the widgets are put back below; their old items are freed
        self.status_line.setWordWrap(self._railed)  # the rail is narrow: its lines wrap, never cut
        if self._railed:
            bar.insertWidget(2, self.repeat_button)
            bar.insertWidget(3, self.voice_button)
            rail.addWidget(self.back_button)
            rail.addWidget(self.progress)
            rail.addStretch(1)
            rail.addWidget(self.status_line)
            rail.addWidget(self.home_button)
            return
        jb.addWidget(self.back_button)
        jb.addWidget(self.progress, 1)
        jb.addWidget(self.home_button)
        sb.addWidget(self.repeat_button)
        sb.addWidget(self.voice_button)
        sb.addSpacing(16)
        sb.addWidget(self.status_line, 1)
        sb.addWidget(self.kiosk_label)

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt API)
        super().resizeEvent(event)
        self._arrange()

    def show_notice(self, text: str) -> None:
        """A banner under the title bar (e.g. 工作人员马上到), gone after a while or with the next one."""
        self.notice.setText(text)
        self.notice.show()
        self._notice_timer.start()

    def offer_elderly(self, on: bool = True) -> None:
        """Show (or take away) the polite 长者模式 offer banner; a tap on it switches, nothing else does."""
        self.elderly_offer.setVisible(on and not self.elderly_button.isChecked())

    def set_status(self, text: str, offline: bool = False) -> None:
        self.status_line.setText(text)
        self.status_line.setProperty("variant", "offline" if offline else "")
        restyle(self.status_line)
        self.offline = offline
        self._update_banner()

    def _update_banner(self) -> None:
        self.offline_banner.setVisible(self.offline and self.current in BANNER_SCREENS)

    def apply_theme(self, name: str) -> None:
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.setStyleSheet(theme.stylesheet(name))
        tokens = theme.THEMES[name]
        elderly = name == "elderly"
        self.setProperty("theme", name)  # screens that draw icons read their colours by it
        self._arrange()
        self.elderly_button.setProperty("active", "true" if elderly else "false")
        restyle(self.elderly_button)
        size = QSize(tokens["icon_px"], tokens["icon_px"])
        accent = tokens["accent"]
        self.elderly_button.setIcon(icons.icon("elderly", accent if elderly else "#FFFFFF"))
        self.help_button.setIcon(icons.icon("help", "#FFFFFF"))
        for b in (self.elderly_button, self.help_button):
            b.setIconSize(size)
        self.logo.setPixmap(icons.pixmap("logo", "#FFFFFF", tokens["icon_px"] + 16))
        # As tall as its buttons in this theme (the stack below would otherwise squeeze it to the
        # stylesheet's minimum and cut the 长者模式 buttons); again once the new fonts are in place.
        self._fit_title_bar()
        QTimer.singleShot(0, self, self._fit_title_bar)
        QTimer.singleShot(0, self, self.fit_bars)

    def _fit_title_bar(self) -> None:
        lay = self.title_bar.layout()
        lay.invalidate()
        self.title_bar.setMinimumHeight(lay.sizeHint().height())

    def _on_elderly(self, on: bool) -> None:
        self.elderly_offer.hide()
        self.elderly_button.setText("✓ " + tr("长者模式") if on else tr("长者模式"))  # not its colour alone
        self.apply_theme("elderly" if on else "standard")
        self.elderly_toggled.emit(on)

    def retranslate(self) -> None:
        """What the title and status bars format themselves (the rest follows i18n.retranslate_tree)."""
        self.kiosk_label.setText(tr("终端编号 {id}").format(id=self.kiosk_id))
        self.title_text.fit()
        self._fit_title_bar()
        self._tick_clock()

    def _tick_clock(self) -> None:
        self.clock.setText(QDateTime.currentDateTime().toString(tr("yyyy年M月d日  HH:mm")))

    def show_kiosk(self, windowed: bool) -> None:
        if windowed:  # the terminal's own screen size, as configured
            self.resize(*SIZES[self.orientation])
            self.show()
            return
        # Without a window manager showFullScreen() keeps the natural size: use the screen's.
        screen = QApplication.primaryScreen()
        if screen is not None:
            geometry = screen.geometry()
            self.setGeometry(geometry)
            if (geometry.width() >= geometry.height()) != (self.orientation == "landscape"):
                log.warning("display.orientation is %s but the screen is %dx%d: rotate the output "
                            "(CAGE_ARGS=-d -r) or fix the setting", self.orientation, geometry.width(),
                            geometry.height())
        self.setWindowFlag(Qt.WindowType.FramelessWindowHint, True)
        self.showFullScreen()
