"""长者模式, measured on what is drawn: every elderly screen, in both orientations, is walked and each
visible label and button is grabbed — CJK glyphs ≥ 32 px tall (≈ 36 px type at 1920×1080), targets
≥ 96 × 96 px, text/background contrast ≥ 7:1, line spacing ≥ 1.3 (tests/ui/measure.py; the negative
case, a small low-contrast widget failing, is tests/ui/test_measure.py). Figures: docs/ui-rules.md."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QLabel

from kiosk.ui import find
from tests.ui.fake_desk import BY_ID, card_of
from tests.ui.journeys import enter_at, screen, tap
from tests.ui.measure import ink, line_spacing, violations

# Screens whose content does not fit the elderly type in this orientation: Qt squeezes their labels,
# so the measured glyphs come out short (clipped). None now (2026-12-02: the document's QR shrinks to
# fit, and 帮办's answer is one band); a screen that breaks goes here, by name, until it is mended.
KNOWN_OVERFLOW: dict[tuple[int, int], set[str]] = {(1920, 1080): set(), (1080, 1920): set()}

RULES = {"min_glyph_px": 32, "min_target_px": 96, "min_contrast": 7.0, "min_line_spacing": 1.3}
PENSION = BY_ID["pension-eligibility-certification"]
PRINT = BY_ID["social-insurance-certificate-print"]


def measure(ui, qtbot, where: str, seen: dict[str, list[str]], under: tuple = ()) -> None:
    """Every visible label and button of the window as it is now: what breaks a rule, by screen.
    `under`: widgets covered by a full-screen layer (their pixels are the layer's)."""
    qtbot.wait(50)  # one layout pass for widgets that just appeared; nothing waits on it
    skip = tuple(w for w in (ui.window.keyboard, *under) if w is not None)
    assert any(w.isVisible() and w.text().strip() for w in ui.window.findChildren(QLabel)), where
    seen[where] = violations(ui.window, **RULES, skip=skip)


def report(size: tuple[int, int], seen: dict[str, list[str]]) -> str:
    return f"{size[0]}×{size[1]}:\n" + "\n".join(f"  {where}: {v}" for where, found in seen.items() for v in found)


@pytest.mark.parametrize("size", [(1920, 1080), (1080, 1920)], ids=["landscape", "portrait"])
def test_every_elderly_screen_is_large_calm_and_high_contrast(ui, qtbot, monkeypatch, size) -> None:
    ui.window.resize(*size)
    tap(ui, "长者模式")
    qtbot.waitUntil(lambda: ui.runner.home.portrait == (size[1] > size[0]), timeout=5_000)
    seen: dict[str, int] = {}
    measure(ui, qtbot, "home", seen)
    tap(ui, "更多业务")
    measure(ui, qtbot, "home: departments", seen)
    ui.runner.home.show_main()

    ui.runner.start_item(PENSION)  # 养老待遇资格认证, as the resident does it
    screen(ui, qtbot, "guide")
    measure(ui, qtbot, "guide (essentials)", seen)
    tap(ui, "开始办理")
    screen(ui, qtbot, "identify")
    measure(ui, qtbot, "identify", seen)
    ui.devices.get("idcard").events.put(card_of("chen_guiying"))
    screen(ui, qtbot, "face")
    measure(ui, qtbot, "face (consent)", seen)
    tap(ui, "帮办")
    find.wait_for_text(ui.window, "工作人员马上到")
    measure(ui, qtbot, "face + 帮办 with the remote-help QR", seen)
    tap(ui, "关闭远程帮办")

    ui.window.watcher = None
    ui.window.idle_warning.show_seconds(40)  # what the watcher shows when the doubled time runs out
    assert ui.window.idle_warning.full_screen
    assert ui.window.idle_warning.geometry() == ui.window.stack.rect()  # the whole screen, not a pop-up
    measure(ui, qtbot, "inactivity warning", seen, under=(ui.window.stack.currentWidget(),))
    ui.window.idle_warning.hide()

    enter_at(ui, monkeypatch, PENSION, "certify", "chen_guiying")
    screen(ui, qtbot, "result")  # 长者模式: certified, and the 认证凭证 printed by itself
    measure(ui, qtbot, "result", seen)
    ui.runner._go(ui.runner.plan.kinds.index("certify"))
    find.wait_for_text(ui.window, "有效期至")  # certified just now: still valid
    measure(ui, qtbot, "certify", seen)
    ui.runner._go(ui.runner.plan.kinds.index("rate"))
    screen(ui, qtbot, "rate")
    measure(ui, qtbot, "rate", seen)
    ui.runner.fail(RuntimeError("x"), retry=lambda: None)
    screen(ui, qtbot, "error")
    measure(ui, qtbot, "error", seen)
    ui.runner.go_home("cancelled")
    assert not ui.window.elderly_button.isChecked()  # the mode lasted the session

    tap(ui, "长者模式")
    enter_at(ui, monkeypatch, PRINT, "document", "chen_guiying")
    screen(ui, qtbot, "document")
    measure(ui, qtbot, "document", seen)
    assert len(seen) >= 12
    failing = {where for where, found in seen.items() if found}
    print(report(size, seen))
    assert failing == KNOWN_OVERFLOW[size], report(size, seen)


def test_the_offer_and_its_banner_meet_the_elderly_rules_once_switched(ui, qtbot) -> None:
    """A 60+ card in standard mode: the polite offer shows once, on the next screen; one tap switches."""
    ui.runner.start_item(PENSION)
    tap(ui, "开始办理")
    ui.devices.get("idcard").events.put(card_of("chen_guiying"))
    screen(ui, qtbot, "face")
    assert ui.window.elderly_offer.isVisible() and not ui.window.elderly_button.isChecked()
    tap(ui, "切换到长者模式")
    assert ui.window.elderly_button.isChecked() and not ui.window.elderly_offer.isVisible()
    assert ui.runner.plan.steps[ui.runner.plan.kinds.index("certify")].params["print_on_success"]
    found: dict[str, list[str]] = {}
    measure(ui, qtbot, "face after switching", found)
    assert found["face after switching"] == [] or "face (consent)" in KNOWN_OVERFLOW[(1920, 1080)]
    ui.runner.go_home("cancelled")
    assert not ui.window.elderly_button.isChecked()


def test_colour_is_never_the_only_signal(ui, qtbot) -> None:
    """On the elderly screens a state shows in words or a mark, not only in colour."""
    tap(ui, "长者模式")
    assert ui.window.elderly_button.text().startswith("✓")  # the switch says it is on
    ui.runner.start_item(BY_ID["health-checkup-report-print"])  # proxy_ok: 代办 offered
    tap(ui, "开始办理")
    screen(ui, qtbot, "identify")
    tap(ui, "帮家人办理")  # 长者模式's plain words for 代办
    assert ui.runner.steps["identify"].proxy_button.text() == "✓ 帮家人办理"


def test_line_spacing_is_measured(ui, qtbot) -> None:
    """The spacing check sees two lines and their pitch (a wrapped warning), and is above 1.3."""
    tap(ui, "长者模式")
    ui.window.idle_warning.show_seconds(40)
    qtbot.wait(50)
    text = ui.window.idle_warning.text
    measured = ink(text)
    assert measured is not None and len(measured.line_tops) >= 3
    spacing = line_spacing(text, measured)
    assert spacing is not None and spacing >= 1.3
