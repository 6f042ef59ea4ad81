"""The on-screen Chinese keyboard: Qt Virtual Keyboard with pinyin, embedded in the kiosk window.

One `ScreenKeyboard` per MainWindow, docked under the screen stack; never a window of its own (under
the kiosk compositor a second top-level window would cover the whole screen). It is Qt's input
method: a tapped key goes to the pinyin engine, a chosen candidate is committed into the focused
field as a QInputMethodEvent, exactly as with a hardware IME. Any screen with a text field uses it:

    from kiosk.ui.keyboard import screen_keyboard
    kb = screen_keyboard(self)      # this window's keyboard (None outside a kiosk window)
    kb.attach(edit)                 # enter(): focus the QLineEdit / QPlainTextEdit, show the keys
    kb.release()                    # leave(): hide them

The field must accept input-method events (the default; the digit keypad's fields turn that off).
`available()` is False where Qt Virtual Keyboard cannot run (offscreen tests, a missing libpulse0):
screens then say so (`keyboard.unavailable`) and a hardware keyboard still types.

Set-up, before the QApplication exists: `prepare_environment()` (kiosk/app.py, the scenario runner,
tools/screenshots.py and tests/conftest.py under Xvfb call it). It selects the input method
(QT_IM_MODULE=qtvirtualkeyboard), turns off the plugin's own desktop panel window, and keeps the
pinyin engine from learning: Google pinyin inside Qt VKB remembers phrases a user composed, in
memory and in GenericConfigLocation/qtvirtualkeyboard/pinyin/usr_dict.dat, with no way to reset
it, so one resident's name would become the next resident's first candidate. The kiosk process gets
a private XDG_CONFIG_HOME in which that path cannot be created; the engine then runs on its system
dictionary alone (tests/ui/test_keyboard_xcb.py checks that nothing is learned).

For tests and the scenario runner: `keys()` (visible keys, their text and centre), `view` (the
QQuickWidget to tap), `candidates()`, `choose(i)` (what tapping a candidate does), `preedit()`.
"""

from __future__ import annotations

import logging
import os
import tempfile
from pathlib import Path
from typing import Any

from PySide6.QtCore import Q_ARG, Q_RETURN_ARG, QMetaObject, QObject, QPoint, Qt, QUrl, Slot
from PySide6.QtGui import QColor, QGuiApplication
from PySide6.QtWidgets import QHBoxLayout, QWidget

from kiosk.assets import ASSETS

log = logging.getLogger(__name__)

QML = ASSETS / "screen_keyboard.qml"
IM_MODULE = "qtvirtualkeyboard"
NO_KEYBOARD_PLATFORMS = ("offscreen", "minimal", "vnc")
MAX_WIDTH = {"landscape": 1100, "portrait": 1080}  # px: the keys' height follows their width


def prepare_environment() -> None:
    """Select Qt Virtual Keyboard, embedded, without a learning user dictionary. Call before the
    QApplication is created; a second call changes nothing."""
    os.environ["QT_IM_MODULE"] = IM_MODULE
    os.environ["QT_VIRTUALKEYBOARD_DESKTOP_DISABLE"] = "1"
    home = os.environ.get("XDG_CONFIG_HOME")
    if not (home and (Path(home) / "qtvirtualkeyboard").is_file()):
        private = Path(tempfile.mkdtemp(prefix="kiosk-keyboard-"))
        (private / "qtvirtualkeyboard").touch()  # a file where the engine wants its user dictionary
        os.environ["XDG_CONFIG_HOME"] = str(private)


def available() -> bool:
    """Qt Virtual Keyboard is the input method and this platform can show it."""
    return (os.environ.get("QT_IM_MODULE") == IM_MODULE
            and QGuiApplication.platformName() not in NO_KEYBOARD_PLATFORMS)


class _Host(QObject):
    """What the QML calls back: the panel opened, closed or changed its height."""

    def __init__(self, keyboard: ScreenKeyboard) -> None:
        super().__init__(keyboard)
        self.keyboard = keyboard

    @Slot(bool, float)
    def panelChanged(self, active: bool, height: float) -> None:  # noqa: N802 (called from QML)
        self.keyboard._panel_changed(active, height)


class ScreenKeyboard(QWidget):
    """The dock at the bottom of the kiosk window; shows itself while a text field has the focus."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("screenKeyboard")
        self.view: Any = None  # the QQuickWidget, once the keyboard has loaded
        self._show_pending = False
        self.active = False
        self.error = ""
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        self.hide()
        if available():
            self._build()
        else:
            self.error = "Qt Virtual Keyboard is not the input method on this platform"

    def _build(self) -> None:
        from PySide6.QtQml import QQmlComponent
        from PySide6.QtQuickWidgets import QQuickWidget

        view = QQuickWidget(self)
        view.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # a tap on a key leaves the focus in the field
        view.setAttribute(Qt.WidgetAttribute.WA_AcceptTouchEvents, True)
        view.setResizeMode(QQuickWidget.ResizeMode.SizeRootObjectToView)
        view.setClearColor(QColor("#1E2227"))  # beside the keys: the keyboard's own dark grey
        self._host = _Host(self)
        view.rootContext().setContextProperty("host", self._host)
        self._view = view
        # Loaded asynchronously: a synchronous setSource() holds the GIL while QML's loader thread
        # may call a Python Qt message handler (pytest-qt installs one), which would deadlock.
        self._component = QQmlComponent(view.engine(), QUrl.fromLocalFile(str(QML)),
                                        QQmlComponent.CompilationMode.Asynchronous)
        if self._component.isLoading():
            self._component.statusChanged.connect(lambda _: self._loaded())
        else:
            self._loaded()

    def _loaded(self) -> None:
        from PySide6.QtQml import QQmlComponent

        component, view = self._component, self._view
        if component.status() == QQmlComponent.Status.Loading:
            return
        item = component.create(view.rootContext()) if component.status() == QQmlComponent.Status.Ready else None
        if item is None:
            self.error = "; ".join(e.toString() for e in component.errors()) or "the keyboard QML did not load"
            log.error("on-screen keyboard unavailable: %s", self.error)
            view.deleteLater()
            return
        view.setContent(component.url(), component, item)
        self.layout().addWidget(view)
        self.view = view
        self._panel_changed(bool(item.property("panelActive")), 0.0)
        if self._show_pending:
            QGuiApplication.inputMethod().show()

    @property
    def usable(self) -> bool:
        """Loaded and working (it loads asynchronously, within a second of the window's creation)."""
        return self.view is not None

    @property
    def loading(self) -> bool:
        return self.view is None and not self.error

    # ---- what screens call ----------------------------------------------------------------
    def attach(self, field: QWidget) -> None:
        """Put the cursor in `field` and show the keys."""
        window = field.window()
        if not window.isActiveWindow():  # the kiosk's one window; without a window manager nobody activates it
            window.activateWindow()
        field.setFocus(Qt.FocusReason.OtherFocusReason)
        self._show_pending = True
        if self.usable:
            QGuiApplication.inputMethod().show()

    def release(self) -> None:
        """Hide the keys and drop a half-typed pinyin syllable (a screen's leave())."""
        self._show_pending = False
        if self.usable:
            self._call("reset")
            QGuiApplication.inputMethod().hide()

    def set_orientation(self, orientation: str) -> None:
        if self.usable:
            self.view.rootObject().setProperty("maxPanelWidth", MAX_WIDTH.get(orientation, 1100))

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt API)
        super().resizeEvent(event)
        window = self.window()
        self.set_orientation("portrait" if window.height() > window.width() else "landscape")

    def _panel_changed(self, active: bool, height: float) -> None:
        self.active = active
        if height > 0:
            self.setFixedHeight(int(height))
        self.setVisible(active)

    # ---- what tests and the scenario runner read ------------------------------------------
    def _call(self, name: str, *args: Any) -> Any:
        if not self.usable:
            return None
        root = self.view.rootObject()
        value = QMetaObject.invokeMethod(root, name, Q_RETURN_ARG("QVariant"),
                                         *[Q_ARG("QVariant", a) for a in args])
        return value.toVariant() if hasattr(value, "toVariant") else value

    def keys(self) -> dict[str, QPoint]:
        """The visible keys by what they show ("a", "&123", "ABC", "，"…) → centre in `view`."""
        out: dict[str, QPoint] = {}
        for k in self._call("keys") or []:
            out.setdefault(str(k["text"]), QPoint(int(k["x"]), int(k["y"])))
        return out

    def candidates(self) -> list[str]:
        return [str(c) for c in self._call("candidates") or []]

    def choose(self, index: int) -> None:
        """What tapping a candidate in the candidate bar does: commit it into the field."""
        self._call("choose", int(index))

    def release_composition(self) -> None:
        """Drop the pinyin typed so far (what 删除 until empty does)."""
        self._call("reset")

    def preedit(self) -> str:
        return str(self._call("preedit") or "")

    def locale(self) -> str:
        return str(self._call("locale") or "")


def screen_keyboard(widget: QWidget) -> ScreenKeyboard | None:
    """The keyboard docked in `widget`'s window, or None (a widget outside a kiosk window)."""
    window = widget.window()
    found = getattr(window, "keyboard", None)
    return found if isinstance(found, ScreenKeyboard) else None
