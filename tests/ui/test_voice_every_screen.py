"""Every screen for every persona: what the voice says never holds a persona's name, number,
address, phone or token, and every screen's prompt renders to an audible WAV in both voices.

The walk is the runner's own: each persona does a whole print journey with the voice on (its card on
the reader), and then opens its share of every catalogue item as far as the fake desk goes (guide,
开始办理, its card, whatever shows next: a step, 暂未开通 or the error screen). At the document step,
with the identity in the session, every screen's prompt() is asked too, shown or not."""

from __future__ import annotations

import array
import re
import wave
from collections import defaultdict
from pathlib import Path

import pytest
from PySide6.QtCore import QThreadPool

from kiosk.config import DEFAULT_CONFIG, load_config
from kiosk.devices.speaker import Speaker
from kiosk.services.flows import plan
from kiosk.services.messages import CodedError
from kiosk.ui import countdown, find
from kiosk.ui.voice import attach
from simulators.personas import Persona, load_personas
from tests.ui.fake_desk import BY_ID, ITEMS, card_of

PERSONAS = load_personas()
PRINT = BY_ID["social-insurance-certificate-print"]


def persona_strings(p: Persona) -> set[str]:
    """Everything personal about a persona, as it could be written."""
    values = {p.name, p.english_name, p.id_number, p.id_number[-4:], p.id_number[6:14], p.address,
              p.appended_address, p.phone, p.phone[-4:], p.eid_token, p.pass_number, p.birth_date,
              p.birth_date.replace("-", "")}
    if p.address:  # the village and house: what follows the district (a district may name the kiosk's hall)
        tail = re.split(r"[区县]", p.address, maxsplit=1)[-1]
        values |= set(re.findall(r".+?(?:镇|乡|街道|村委会|居委会|社区|村|路|街|巷|号)", tail))
    if p.english_name:
        values |= {part for part in p.english_name.replace(",", " ").split() if len(part) > 2}
    if p.sscard is not None:
        values |= {p.sscard.card_number, p.sscard.card_identifier}
    return {v for v in values if v}


EVERY_STRING = {s: pid for pid, p in PERSONAS.items() for s in persona_strings(p)}


def leaks(texts: set[str]) -> list[tuple[str, str, str]]:
    """(text, the persona string in it, whose) for every text that holds one."""
    return [(text, s, pid) for text in sorted(texts) for s, pid in EVERY_STRING.items() if s in text]


def test_the_leak_check_finds_every_kind_of_persona_string() -> None:
    p = PERSONAS["chen_guiying"]
    for text in (f"{p.name}，您好。", f"尾号{p.id_number[-4:]}。", "请到黄塘村委会办理。", f"卡号{p.sscard.card_number}",
                 f"电话{p.phone}", "出生于19420308"):
        assert leaks({text}), text
    assert leaks({"请把身份证平放在下方的读卡区。"}) == []


class Walk:
    def __init__(self, ui, qtbot, tmp_path: Path) -> None:
        self.ui, self.qtbot = ui, qtbot
        cfg = load_config(DEFAULT_CONFIG, env={"KIOSK_VOICE__CACHE_DIR": str(tmp_path / "voice")})
        self.speaker = Speaker("speaker", "null:")
        self.voice = attach(ui.window, ui.runner, self.speaker, cfg)
        self.speaker.open()
        self.voice.set_enabled(True)
        self.prompts: dict[str, set[str]] = defaultdict(set)  # screen name → what it asked
        ui.runner.screen_changed.connect(
            lambda name: self.prompts[name].add(ui.window.screens[name].prompt()))

    def close(self) -> None:
        self.speaker.close()
        countdown.stop_all()

    def settle(self) -> None:
        pool = QThreadPool.globalInstance()
        self.qtbot.waitUntil(lambda: pool.activeThreadCount() == 0 and self.ui.window.current != "busy",
                             timeout=10_000)

    def every_screen_now(self) -> None:
        for name, screen in self.ui.window.screens.items():
            self.prompts[name].add(screen.prompt())

    def print_journey(self, persona_id: str) -> None:
        ui = self.ui
        ui.runner.start_item(PRINT)
        find.tap_text(ui.window, "开始办理", timeout_s=10)
        self.settle()
        ui.devices.get("idcard").events.put(card_of(persona_id))
        self.qtbot.waitUntil(lambda: ui.window.current == "document", timeout=10_000)
        self.settle()
        self.every_screen_now()  # with the identity and the certificate in the session
        find.tap_text(ui.window, "打印证明", timeout_s=10)
        self.qtbot.waitUntil(lambda: ui.window.current == "result", timeout=10_000)
        find.tap_text(ui.window, "完成", timeout_s=10)
        find.tap_text(ui.window, "跳过", timeout_s=10)
        self.qtbot.waitUntil(lambda: ui.window.current == "home", timeout=10_000)

    def open_item(self, item: dict, persona_id: str) -> None:
        ui = self.ui
        ui.runner.start_item(item)
        self.settle()
        if ui.window.current == "guide" and find.tap_targets(ui.window, "开始办理"):
            find.tap_text(ui.window, "开始办理", timeout_s=10)
            self.settle()
        if ui.window.current == "identify":
            ui.devices.get("idcard").events.put(card_of(persona_id))
            self.qtbot.waitUntil(lambda: ui.window.current != "identify" or not ui.devices.get("idcard").enabled,
                                 timeout=10_000)
            self.settle()
        self.every_screen_now()
        ui.runner.go_home("cancelled")

    def failure(self) -> None:
        self.ui.runner.start_item(PRINT)
        self.ui.runner.fail(CodedError("backend.offline"), retry=lambda: None)
        self.every_screen_now()
        self.ui.runner.go_home("cancelled")

    def texts(self) -> set[str]:
        return {t for ts in self.prompts.values() for t in ts if t} | set(self.speaker.spoken_texts())


@pytest.fixture
def walk(ui, qtbot, tmp_path: Path):
    w = Walk(ui, qtbot, tmp_path)
    yield w
    w.close()


@pytest.mark.parametrize("persona_id", sorted(PERSONAS))
def test_no_persona_string_is_ever_spoken(walk: Walk, persona_id: str) -> None:
    walk.print_journey(persona_id)
    index = sorted(PERSONAS).index(persona_id)
    for item in ITEMS[index::len(PERSONAS)]:  # every item is opened by one persona or another
        walk.open_item(item, persona_id)
    walk.failure()
    spoken = walk.speaker.spoken_texts()
    assert len(spoken) >= 8 and walk.voice.refused == 0  # clean by construction, not by the guard
    texts = walk.texts()
    # The walk went past the print journey's prompts into its items' own screens (since applications
    # are submitted, few items end at 暂未开通, so a slice may name none of its items aloud).
    assert len(texts) >= 15
    assert leaks(texts) == []
    assert {"home", "guide", "identify", "busy", "document", "result", "rate", "error"} <= {
        name for name, ts in walk.prompts.items() if any(ts)}


def audible(path: Path) -> tuple[float, float]:
    with wave.open(str(path), "rb") as w:
        samples = array.array("h", w.readframes(w.getnframes()))
        return w.getnframes() / w.getframerate(), max(map(abs, samples), default=0) / 32768


def test_every_screen_prompt_is_an_audible_wav_in_both_voices(walk: Walk, tmp_path: Path) -> None:
    walk.print_journey("chen_guiying")
    # 暂未开通, while some step is not built yet: an item whose 暂未开通 the walk reaches (it passes the
    # guide and the identity only; a not-built confirm after the form and materials is beyond it)
    not_built = next((i for i in ITEMS if [k for k in plan(i).kinds if k not in ("guide", "identify")][:1]
                      == ["not_built"]), None)
    if not_built is not None:
        walk.open_item(not_built, "chen_guiying")
    walk.failure()
    by_screen = {name: {t for t in texts if t} for name, texts in walk.prompts.items()}
    unasked = set(walk.ui.window.screens) - {n for n, ts in by_screen.items() if ts}
    assert unasked == (set() if not_built is not None else {"not_built"})  # every screen
    speaker = Speaker("speaker", "espeak:cmn", cache_dir=str(tmp_path / "wav"))
    speaker.open()
    try:
        for name, texts in sorted(by_screen.items()):
            for text in sorted(texts):
                for voice in ("cmn", "yue"):
                    seconds, peak = audible(speaker.say(text, voice).wait().wav)
                    assert seconds > 0.3 and peak > 0.05, (name, voice, text, seconds, peak)
    finally:
        speaker.close()
