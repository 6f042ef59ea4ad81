"""What each scenario step does (docs/scenarios.md). One function per step kind, in STEPS.

Screen steps go through kiosk/ui/find.py, as a person would: by what is written on the screen.
Device and backend steps go through the hub's control API. Every wait is a condition with a timeout
(find.wait_until processes Qt events meanwhile), never a fixed sleep.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLineEdit, QWidget

from kiosk.ui import countdown, find
from kiosk.ui.keyboard import screen_keyboard
from simulators.scenario.hub_client import HubClient, StepFailed

DEFAULT_TIMEOUT_S = find.DEFAULT_TIMEOUT_S
KEYPAD_KEYS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"  # each key's accessible name is what it types


@dataclass
class Context:
    """What a step acts on: the kiosk window, the hub, and the scenario's counters."""

    root: QWidget
    hub: HubClient | None
    current_screen: Callable[[], str]
    screenshots: Path
    receipts_before: int = 0  # the newest receipt's index when the scenario started
    documents_before: int = 0  # the A4 printer's newest document index when it started
    taps: int = 0
    timeout_s: float = DEFAULT_TIMEOUT_S
    spoken_seen: int = 0  # how much of the speaker's log expect_spoken has walked past
    restart: Callable[[], None] | None = None  # the runner's: stop the kiosk, start it on the same disk

    def tap(self, widget: QWidget) -> None:
        find.tap(widget)
        self.taps += 1

    def find(self, text: str) -> QWidget:
        return find.find(self.root, text, timeout_s=self.timeout_s)

    def call(self, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
        if self.hub is None:
            raise StepFailed("this step needs the simulator hub")
        return self.hub.call(method, path, body)

    def save_screenshot(self, name: str) -> Path:
        self.screenshots.mkdir(parents=True, exist_ok=True)
        path = self.screenshots / f"{name}.png"
        if not self.root.grab().save(str(path)):
            raise StepFailed(f"could not save the screenshot {path}")
        return path


# ---- the screen -------------------------------------------------------------------------------
def tap(ctx: Context, text: str) -> None:
    ctx.tap(ctx.find(text))


def open_item(ctx: Context, name: str) -> None:
    """The resident opens an item from home: its tile when home shows it; otherwise by 搜索业务,
    the initials of its name on the letter keypad, then the result named so."""
    from kiosk.services.search import forms

    if not find.wait_until(lambda: ctx.current_screen() == "home" and bool(find.tap_targets(ctx.root, "搜索业务")),
                           ctx.timeout_s):
        raise StepFailed(f"open_item {name!r}: home is not on screen (the screen is {ctx.current_screen()!r})")
    if find.tap_targets(ctx.root, name):
        tap(ctx, name)
        return
    tap(ctx, "搜索业务")
    for letter in forms(name).initials.upper():
        tap(ctx, letter)
    if not find.wait_until(lambda: bool(find.tap_targets(ctx.root, name)), ctx.timeout_s):
        raise StepFailed(f"open_item {name!r}: searching its initials {forms(name).initials!r} lists no item "
                         f"named so within {ctx.timeout_s:g} s")
    tap(ctx, name)


def type_text(ctx: Context, arg: dict[str, str]) -> None:
    """Tap the field, then type the text the way a resident does (never set the text directly):
    on the on-screen Chinese keyboard for a text field (pinyin keys, then the candidate), on the
    kiosk's keypad for a number, phone, ID or code field."""
    text = arg["text"]
    field = ctx.find(arg["field"])
    ctx.tap(field)
    keyboard = screen_keyboard(field)
    if field.testAttribute(Qt.WidgetAttribute.WA_InputMethodEnabled) and keyboard is not None:
        _type_on_keyboard(ctx, keyboard, text)
    else:
        _type_on_keypad(ctx, text)
    shown = "".join(find.widget_text(field).split())
    if isinstance(field, QLineEdit) and field.echoMode() != QLineEdit.EchoMode.Normal:
        return
    if "".join(text.split()) not in shown:
        raise StepFailed(f"after typing {text!r} the field {arg['field']!r} reads {find.widget_text(field)!r}")


def _type_on_keypad(ctx: Context, text: str) -> None:
    if any(not c.isascii() for c in text):
        raise StepFailed(f"{text!r}: this field is typed on the keypad (digits and capitals); Chinese goes "
                         "into text fields, on the on-screen keyboard")
    missing = sorted({c for c in text if c not in KEYPAD_KEYS})
    if missing:
        hint = " (the keypad types capitals: write X, not x)" if any(c.islower() for c in missing) else ""
        raise StepFailed(f"no keypad key types {', '.join(map(repr, missing))}; the keys are 0-9 and A-Z{hint}")
    for char in text:
        ctx.tap(ctx.find(char))


def _tap_key(ctx: Context, keyboard: Any, key: str) -> None:
    if not find.wait_until(lambda: key in keyboard.keys(), ctx.timeout_s):
        raise StepFailed(f"the on-screen keyboard shows no key {key!r}; it shows: "
                         + " ".join(sorted(k for k in keyboard.keys() if k.strip()))[:300])
    QTest.mouseClick(keyboard.view, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                     keyboard.keys()[key])
    ctx.taps += 1


def _layout_with(ctx: Context, keyboard: Any, key: str) -> None:
    """Switch between the pinyin letters and the symbols (&123 / ABC) until `key` is on screen.
    The keys are read again after each switch: while the layout changes, neither switch is drawn."""
    switches = {"&123", "ABC"}
    for _ in range(3):
        find.wait_until(lambda: bool(({key} | switches) & set(keyboard.keys())), ctx.timeout_s)
        keys = keyboard.keys()
        if key in keys:
            return
        switch = next((k for k in ("&123", "ABC") if k in keys), None)
        if switch is None:
            break
        _tap_key(ctx, keyboard, switch)
        find.wait_until(lambda s=switch: key in keyboard.keys() or s not in keyboard.keys(), ctx.timeout_s)
    if key not in keyboard.keys():
        raise StepFailed(f"the on-screen keyboard has no key {key!r} on its letter or symbol layout")


def _type_on_keyboard(ctx: Context, keyboard: Any, text: str) -> None:
    """Chinese characters: the pinyin syllable on the letter keys, then its candidate (what a tap on
    the candidate bar does). Digits, spaces and punctuation: their keys on the symbol layout."""
    from pypinyin import Style, pinyin  # the simulators' extra: syllables for the characters to type

    if not find.wait_until(lambda: keyboard.usable and keyboard.isVisible(), ctx.timeout_s):
        raise StepFailed(f"the on-screen keyboard did not open ({keyboard.error or 'not shown'}); Chinese "
                         "typing needs Qt Virtual Keyboard under X (QT_QPA_PLATFORM=xcb, docs/scenarios.md)")
    for char in text:
        if not "\u3400" <= char <= "\u9fff":
            if char.isascii() and char.isalpha():
                raise StepFailed(f"{char!r}: the on-screen keyboard types pinyin with its letters; Latin "
                                 "letters are not typed by the scenario runner")
            _layout_with(ctx, keyboard, char)
            _tap_key(ctx, keyboard, char)
            continue
        readings = [r.replace("ü", "v") for r in pinyin(char, style=Style.NORMAL, heteronym=True)[0]]
        for reading in readings:
            for letter in reading:
                _layout_with(ctx, keyboard, letter)
                _tap_key(ctx, keyboard, letter)
            if find.wait_until(lambda c=char: c in keyboard.candidates(), ctx.timeout_s / 2):
                keyboard.choose(keyboard.candidates().index(char))
                ctx.taps += 1
                break
            keyboard.release_composition()
        else:
            raise StepFailed(f"{char!r}: no candidate on the keyboard for its pinyin {', '.join(readings)}")


def expect_text(ctx: Context, text: str, timeout_s: float | None = None) -> None:
    find.wait_for_text(ctx.root, text, timeout_s=ctx.timeout_s if timeout_s is None else timeout_s)


def wait_for_text(ctx: Context, arg: dict[str, Any]) -> None:
    expect_text(ctx, arg["text"], float(arg["timeout"]))


def expect_no_text(ctx: Context, text: str) -> None:
    """Checked now, without waiting: put an expect_screen or expect_text before it."""
    shown = [t for t in find.visible_texts(ctx.root) if text in t]
    if shown:
        raise StepFailed(f"{text!r} is visible: " + " | ".join(shown[:5]))


def expect_screen(ctx: Context, name: str) -> None:
    if not find.wait_until(lambda: ctx.current_screen() == name, ctx.timeout_s):
        raise StepFailed(f"the screen is {ctx.current_screen()!r}, not {name!r}, after {ctx.timeout_s:g} s; "
                         + find.visible_listing(ctx.root))


def idle(ctx: Context, seconds: int) -> None:
    """Nobody touches the screen for `seconds`: the kiosk's countdowns jump ahead, no real wait."""
    countdown.advance_all(seconds)
    QApplication.processEvents()  # deliver what the countdowns set off


def screenshot(ctx: Context, name: str) -> None:
    ctx.save_screenshot(name)


# ---- devices and the platform, through the hub --------------------------------------------------
def place_card(ctx: Context, persona: str) -> None:
    ctx.call("POST", "/idcard/place", {"persona": persona})


def restart_kiosk(ctx: Context, _: None) -> None:
    """The kiosk stops (as systemd restarts it after a crash or an update) and starts again with the
    same outbox, catalogue cache and state; the session in memory is gone. (A hard SIGKILL in the
    middle of a write is tests/services/test_outbox_crash.py's: this runner shares the kiosk's process.)"""
    if ctx.restart is None:
        raise StepFailed("restart_kiosk needs the scenario runner's kiosk")
    ctx.restart()


def lift_card(ctx: Context, _: None) -> None:
    ctx.call("POST", "/idcard/lift")


def insert_sscard(ctx: Context, persona: str) -> None:
    state = ctx.call("POST", "/sscard/insert", {"persona": persona, "wait": 5})
    if not state.get("seen_by_vpcd"):
        raise StepFailed("the 社保卡 emulator was not seen by pcscd's vpcd reader within 5 s "
                         f"(last error: {state.get('last_error') or 'none'})")


def remove_sscard(ctx: Context, _: None) -> None:
    ctx.call("POST", "/sscard/remove")


def scan(ctx: Context, arg: dict[str, str]) -> None:
    if "account" in arg:
        accounts = ctx.call("GET", "/backend/accounts")
        code = (accounts.get(arg["persona"]) or {}).get(arg["account"])
        if not code:
            raise StepFailed(f"persona {arg['persona']!r} has no {arg['account']} account at the backend")
        body: dict[str, Any] = {"code": code}
    else:
        body = dict(arg)
    # A scanner that nobody listens to loses the code: wait until the kiosk holds the link.
    if not find.wait_until(lambda: ctx.call("GET", "/scanner/state")["connected"], ctx.timeout_s):
        raise StepFailed(f"the kiosk did not connect to the scanner within {ctx.timeout_s:g} s")
    ctx.call("POST", "/scanner/scan", body)


PRINTER_STATE_BODY = {
    "ok": {"paper": "ok", "cover_open": False, "offline": False},
    "near_end": {"paper": "near_end"},
    "out": {"paper": "out"},
    "cover_open": {"cover_open": True},
    "offline": {"offline": True},
}


def printer(ctx: Context, arg: str | dict[str, int]) -> None:
    if isinstance(arg, dict):
        ctx.call("POST", "/printer/fault", {"kind": "paper_out_after_lines",
                                            "lines": arg["paper_out_after_lines"]})
        return
    ctx.call("POST", "/printer/state", PRINTER_STATE_BODY[arg])
    if arg == "ok":  # refilled and healthy: a pending paper-out fault goes too
        ctx.call("POST", "/printer/fault", {"kind": "none"})


def camera(ctx: Context, arg: dict[str, str]) -> None:
    ctx.call("POST", "/camera/scene", arg)


def unplug(ctx: Context, device: str) -> None:
    ctx.call("POST", f"/{device}/unplug")


def replug(ctx: Context, device: str) -> None:
    ctx.call("POST", f"/{device}/replug")


def backend(ctx: Context, arg: dict[str, Any]) -> None:
    ctx.call("POST", "/backend/mode", arg)


def pay(ctx: Context, _: str) -> None:
    ctx.call("POST", "/backend/payments/paid", {"newest_pending": True})


def _squash(text: str) -> str:
    """NFKC (so ¥ and ￥ match) without whitespace (a long title may wrap on the paper)."""
    return "".join(unicodedata.normalize("NFKC", text).split())


def expect_receipt(ctx: Context, text: str) -> None:
    newest: dict[str, Any] = {}

    def printed() -> bool:
        nonlocal newest
        receipts = [r for r in ctx.call("GET", "/receipts")["receipts"] if r["index"] > ctx.receipts_before]
        newest = receipts[-1] if receipts else {}
        return bool(newest) and _squash(text) in _squash(newest["text"])

    if find.wait_until(printed, ctx.timeout_s):
        return
    if not newest:
        raise StepFailed(f"no receipt was printed since the scenario started (waited {ctx.timeout_s:g} s)")
    state = " (torn off: incomplete)" if newest.get("incomplete") else ""
    raise StepFailed(f"the newest receipt #{newest['index']}{state} does not contain {text!r}; it reads: "
                     + " / ".join(line for line in newest["text"].splitlines() if line.strip())[:600])


DOCPRINTER_STATE_BODY: dict[str, dict[str, Any]] = {
    "media_empty": {"media": "empty"}, "door_open": {"door_open": True}, "jam": {"jam": True},
}


def docprinter(ctx: Context, state: str) -> None:
    """The A4 printer: ok (reset: paper, door, toner, plugged in), a fault, or offline (unplugged)."""
    if state == "ok":
        ctx.call("POST", "/docprinter/reset")
    elif state == "offline":
        ctx.call("POST", "/docprinter/unplug")
    else:
        ctx.call("POST", "/docprinter/state", DOCPRINTER_STATE_BODY[state])


def _pdf_text(path: str) -> str:
    import subprocess

    try:
        out = subprocess.run(["pdftotext", "-layout", path, "-"], capture_output=True, timeout=60, check=True)
    except (OSError, subprocess.SubprocessError) as exc:
        raise StepFailed(f"cannot read the A4 document's text with pdftotext (Debian poppler-utils): {exc}") from exc
    return out.stdout.decode("utf-8", "replace")


def expect_document(ctx: Context, text: str) -> None:
    newest: dict[str, Any] = {}

    def printed() -> bool:
        nonlocal newest
        docs = [d for d in ctx.call("GET", "/docprinter/documents")["documents"] if d["index"] > ctx.documents_before]
        newest = docs[-1] if docs else {}
        return bool(newest)

    if not find.wait_until(printed, ctx.timeout_s):
        raise StepFailed(f"no A4 document was printed since the scenario started (waited {ctx.timeout_s:g} s)")
    content = _pdf_text(newest["pdf"])
    if _squash(text) not in _squash(content):
        raise StepFailed(f"the newest A4 document #{newest['index']} does not contain {text!r}; it reads: "
                         + " / ".join(line.strip() for line in content.splitlines() if line.strip())[:600])


def expect_backend(ctx: Context, counts: dict[str, int]) -> None:
    seen: dict[str, int] = {}

    def matches() -> bool:
        nonlocal seen
        seen = ctx.call("GET", "/backend/state")["counts"]
        return all(seen.get(kind, 0) == n for kind, n in counts.items())

    if not find.wait_until(matches, ctx.timeout_s):
        wrong = ", ".join(f"{k} {seen.get(k, 0)} (expected {n})" for k, n in counts.items() if seen.get(k, 0) != n)
        raise StepFailed(f"the backend's stored counts differ after {ctx.timeout_s:g} s: {wrong}")


def _speaker(ctx: Context) -> Any:
    from kiosk.ui.voice import Voice

    voice = ctx.root.findChild(Voice)
    if voice is None or voice.speaker is None:
        raise StepFailed("the kiosk has no voice guidance with a speaker ([devices.speaker])")
    return voice.speaker


def expect_spoken(ctx: Context, text: str) -> None:
    """Waits until the voice says something containing `text`, after what the previous
    expect_spoken matched: a run of them checks the order of what was said."""
    speaker = _speaker(ctx)
    said: list[str] = []

    def found() -> bool:
        nonlocal said
        said = speaker.spoken_texts()
        for i in range(ctx.spoken_seen, len(said)):
            if text in said[i]:
                ctx.spoken_seen = i + 1
                return True
        return False

    if not find.wait_until(found, ctx.timeout_s):
        recent = said[ctx.spoken_seen:][-8:] or ["nothing"]
        raise StepFailed(f"the voice did not say {text!r} within {ctx.timeout_s:g} s; since the last match "
                         f"it said: " + " | ".join(recent))


def expect_not_spoken(ctx: Context, text: str) -> None:
    """Checked now: nothing the voice said since the scenario started contains `text`."""
    said = [t for t in _speaker(ctx).spoken_texts() if text in t]
    if said:
        raise StepFailed(f"the voice said {text!r}: " + " | ".join(said[:3]))


def expect_taps(ctx: Context, most: int) -> None:
    """Checked now: the resident has tapped at most `most` times since the scenario began (every
    tap counts: buttons, keys, the mode's own switch)."""
    if ctx.taps > most:
        raise StepFailed(f"{ctx.taps} taps so far, expected at most {most}")


STEPS: dict[str, Callable[[Context, Any], None]] = {
    "tap": tap, "open_item": open_item, "type": type_text, "place_card": place_card, "lift_card": lift_card, "restart_kiosk": restart_kiosk,
    "insert_sscard": insert_sscard, "remove_sscard": remove_sscard, "scan": scan, "printer": printer,
    "camera": camera, "unplug": unplug, "replug": replug, "backend": backend, "pay": pay,
    "expect_text": expect_text, "wait_for_text": wait_for_text, "expect_no_text": expect_no_text,
    "expect_screen": expect_screen, "expect_receipt": expect_receipt, "expect_backend": expect_backend,
    "docprinter": docprinter, "expect_document": expect_document,
    "expect_spoken": expect_spoken, "expect_not_spoken": expect_not_spoken,
    "idle": idle, "screenshot": screenshot, "expect_taps": expect_taps,
}
