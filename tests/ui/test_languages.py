"""简 / 繁 / EN (kiosk/ui/i18n.py): every string has its translations, every screen reads fully in each
language, texts fit their widgets in English, the session's language ends with it, slips follow it,
and a 'J' / 'I' / 'Y' card offers its language once.

"Reads fully" is checked on what is visible: in English, no Chinese outside a finished English
translation, the catalogue's Chinese-only text (said so on the guide), the platform's answers and
the persona's own data; in 繁體, nothing OpenCC s2hk would still change, outside the platform's
answers and the persona's data."""

from __future__ import annotations

import glob
import json
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QThreadPool
from PySide6.QtWidgets import QAbstractButton, QApplication, QLabel

from kiosk.devices.id_card_fields import CARD_TYPES
from kiosk.services import catalogue_text, guide, receipts
from kiosk.services import materials as mat
from kiosk.services.session import Identity
from kiosk.ui import countdown, find, i18n, i18n_sources, icons, language_switch
from simulators.backend.form_examples import PRINT_CASES, QUERY_CASES
from simulators.personas import get_persona
from tests.ui.fake_desk import BY_ID, FAKE_APPLICATIONS
from tests.ui.journeys import enter_at, screen, tap

ROOT = Path(__file__).resolve().parents[2]
CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")
PRINT_ITEM, QUERY_ITEM = "social-insurance-certificate-print", "cultivated-land-subsidy-query"


# ---- the .ts files -------------------------------------------------------------------------------
def extracted(tmp_path: Path) -> set[tuple[str, str]]:
    sources = sorted(str(p) for p in (ROOT / "kiosk" / "ui").rglob("*.py")) + [str(ROOT / "kiosk/services/messages.py")]
    ts = tmp_path / "now.ts"
    lupdate = Path(sys.executable).with_name("pyside6-lupdate")
    subprocess.run([str(lupdate), *sources, "-no-obsolete", "-locations", "none", "-ts", str(ts)],
                   check=True, capture_output=True, timeout=300)
    root = ET.parse(ts).getroot()
    return {(c.findtext("name") or "", m.findtext("source") or "") for c in root.iter("context") for m in c.iter("message")}


def test_every_string_in_the_code_has_a_finished_translation_in_both_languages(tmp_path) -> None:
    """A new tr("…") (or message, or slip word) without its zh_HK and English translation fails here."""
    strings = extracted(tmp_path)
    assert len(strings) > 400
    for language in ("zh_HK", "en"):
        missing = sorted(s for s in strings if s not in i18n.table(language))
        assert not missing, f"{language}: {len(missing)} without a translation (make i18n): {missing[:8]}"


def test_translations_keep_their_placeholders() -> None:
    for language in ("zh_HK", "en"):
        for (_ctx, source), text in i18n.table(language).items():
            assert set(re.findall(r"\{\w+\}", source)) == set(re.findall(r"\{\w+\}", text)), (language, source, text)


def test_english_has_no_chinese_but_the_examples_of_pinyin_search() -> None:
    for (_ctx, source), text in i18n.table("en").items():
        if CJK.search(text):
            assert "ylrz" in text or "社会保障卡" in text, (source, text)


def test_zh_hk_is_opencc_s2hk_of_the_source_or_reviewed_traditional() -> None:
    for (_ctx, source), text in i18n.table("zh_HK").items():
        assert catalogue_text.to_hk(text) == text, (source, text)  # nothing simplified left


def test_words_from_below_the_ui_are_listed_for_translation() -> None:
    departments = {it["department"] for f in glob.glob(str(ROOT / "simulators/backend/catalogue/items/*.json"))
                   for it in json.loads(Path(f).read_text(encoding="utf-8"))}
    wanted = set(guide.ELEMENTS) | {g.label for g in icons.GROUPS} | departments | set(receipts.PAYMENT_METHODS.values())
    assert wanted <= set(i18n_sources.WORDS), sorted(wanted - set(i18n_sources.WORDS))


def test_every_catalogue_item_has_its_zh_hant_text_up_to_date() -> None:
    result = subprocess.run([sys.executable, str(ROOT / "tools/catalogue_zh_hant.py"), "--check"],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout


# ---- walking the screens ---------------------------------------------------------------------
def data_strings(ui) -> set[str]:
    """What the screen may show as it came: the persona's data and the platform's answers."""
    out: set[str] = set()

    def walk(v: Any) -> None:
        if isinstance(v, str):
            out.add(v)
        elif isinstance(v, dict):
            for x in v.values():
                walk(x)
        elif isinstance(v, (list, tuple)):
            for x in v:
                walk(x)
    walk(ui.session.results)
    for step in ui.runner.steps.values():
        for attr in ("answer", "document", "result", "status"):
            walk(getattr(step, attr, None))
    identity = ui.session.identity
    if identity is not None:
        out |= {identity.name, identity.id_number}
    return {s for s in out if s}


def untranslated(ui, language: str, allowed: set[str], embedded: set[str] = frozenset(),
                 refused: set[str] = frozenset()) -> list[str]:
    """`embedded`: strings that may also stand inside a sentence of ours (a catalogue label after
    请选择…), taken out of each text before its runs are looked at. `refused`: strings never allowed
    as data (in 繁體 the item's own text, also where the platform's answer repeats it)."""
    item = ui.session.item or {}
    catalogue = set()
    if language == "en" and item:
        catalogue = {s for s in _strings(catalogue_text.localized(item, "zh_CN")) if s}
    allowed_runs = "\n".join(((allowed | data_strings(ui)) - set(refused)) | catalogue)
    bad = []
    for text in find.visible_texts(ui.window):
        shown = text
        for s in sorted(embedded, key=len, reverse=True):
            if len(s) > 1:
                text = text.replace(s, " ")
        for run in CJK.findall(text):
            if language == "zh_HK" and catalogue_text.to_hk(run) == run:
                continue
            if language == "en" and any(run in t for t in i18n.table("en").values()):
                continue
            if run in allowed_runs:
                continue
            bad.append(shown)
            break
    return bad


def _strings(v: Any) -> list[str]:
    if isinstance(v, str):
        return [v]
    if isinstance(v, dict):
        return [s for x in v.values() for s in _strings(x)]
    if isinstance(v, list):
        return [s for x in v for s in _strings(x)]
    return []


def too_long(ui) -> list[str]:
    """Labels and buttons whose text does not fit: a line wider than the widget without wrapping, or
    a wrapped text taller than the label."""
    out = []
    for w in find.visible_widgets(ui.window):
        if isinstance(w, QLabel) and w.text() and w.pixmap().isNull():
            fm, room = w.fontMetrics(), w.contentsRect()
            if w.wordWrap():
                if w.heightForWidth(w.width()) > w.height() + 2:
                    out.append(f"label {w.text()!r}: needs {w.heightForWidth(w.width())} px height, has {w.height()}")
            elif "<" not in w.text():
                for line in w.text().split("\n"):
                    if fm.horizontalAdvance(line) > room.width() + 2:
                        out.append(f"label {line!r}: {fm.horizontalAdvance(line)} px wide, has {room.width()}")
        elif isinstance(w, QAbstractButton) and w.text() and w.layout() is None:  # a tile's caption is a label
            fm = w.fontMetrics()
            icon = w.iconSize().width() + 8 if not w.icon().isNull() else 0
            for line in w.text().split("\n"):
                if fm.horizontalAdvance(line) + icon > w.width():
                    out.append(f"button {line!r}: {fm.horizontalAdvance(line) + icon} px wide, has {w.width()}")
    return out


SWITCH_WORDS = {*i18n.LANGUAGES.values(), *language_switch.ACCESSIBLE.values()}


def check(ui, language: str, where: str, allowed: set[str] = frozenset(), embedded: set[str] = frozenset(),
          refused: set[str] = frozenset()) -> None:
    bad = untranslated(ui, language, SWITCH_WORDS | set(allowed), embedded, refused)
    assert not bad, f"{language} {where}: not in {language}: {bad}"
    if language == "en":  # tiles grow to their captions once shown: wait for the layout to settle
        find.wait_until(lambda: not too_long(ui), timeout_s=3)
        clipped = too_long(ui)
        assert not clipped, f"en {where}: clipped: {clipped}"


def switch(ui, qtbot, language: str) -> None:
    tap(ui, i18n.LANGUAGES[language])
    qtbot.waitUntil(lambda: ui.runner.languages.language == language, timeout=5_000)
    QApplication.processEvents()  # rebuilt pages show their new widgets on the next turn of the loop


@pytest.mark.parametrize("language", ["zh_HK", "en"])
def test_home_pages_read_fully(ui, qtbot, language) -> None:
    switch(ui, qtbot, language)
    check(ui, language, "home")
    ui.runner.home.show_groups()
    check(ui, language, "home/groups")
    ui.runner.home.show_search()
    check(ui, language, "home/search")
    ui.runner.home.show_main()
    assert ui.session.language == language


@pytest.mark.parametrize("language", ["zh_HK", "en"])
@pytest.mark.parametrize("item_id", [PRINT_ITEM, QUERY_ITEM])
def test_a_print_and_a_query_journey_read_fully(ui, qtbot, monkeypatch, language, item_id) -> None:
    switch(ui, qtbot, language)
    item = BY_ID[item_id]
    ui.runner.start_item(item)
    screen(ui, qtbot, "guide")
    chinese_only = {line for s in guide.sections(item) for line in s.lines} if language == "en" else set()
    check(ui, language, f"{item_id}/guide", chinese_only)
    if language == "en":
        find.wait_for_text(ui.window, i18n.translated(
            "本事项的办事指南内容仅有中文版本，以下详细内容以中文显示。如需帮助，请点「帮办」。", "en"))
    ui.runner._go(ui.runner.plan.kinds.index("identify"))
    screen(ui, qtbot, "identify")
    check(ui, language, f"{item_id}/identify")
    persona, _, fields, _ = (PRINT_CASES if item_id == PRINT_ITEM else QUERY_CASES)[item_id]
    kind = "document" if item_id == PRINT_ITEM else "query"
    enter_at(ui, monkeypatch, item, kind, persona, fields)
    screen(ui, qtbot, kind)
    step = ui.runner.steps[kind]
    qtbot.waitUntil(lambda: getattr(step, "answer" if kind == "query" else "document", None) is not None,
                    timeout=10_000)
    check(ui, language, f"{item_id}/{kind}")
    ui.runner._go(ui.runner.plan.kinds.index("result"))
    screen(ui, qtbot, "result")
    check(ui, language, f"{item_id}/result")
    ui.runner._go(ui.runner.plan.kinds.index("rate"))
    screen(ui, qtbot, "rate")
    check(ui, language, f"{item_id}/rate")
    assert ui.session.language == language


@pytest.mark.parametrize("language", ["zh_HK", "en"])
def test_error_and_not_built_screens_read_fully(ui, qtbot, language) -> None:
    from kiosk.services.messages import CodedError
    switch(ui, qtbot, language)
    ui.runner.start_item(BY_ID[PRINT_ITEM])
    screen(ui, qtbot, "guide")
    ui.runner.fail(CodedError("backend.offline", "test"), retry=lambda: None)
    screen(ui, qtbot, "error")
    check(ui, language, "error")


# ---- the pay, appointment, queue, progress, certify, form and apply screens ---------------------
# These screens show the catalogue's own text (material names, the queue's choices, field labels and
# options, the 收款单位…). In 繁體 it reads in 繁體 (i18n.shown: the item's zh_Hant): the item's
# strings are refused as data, also where the platform's answer repeats them (the hall, the booked
# place); only the platform's own words and the persona's data may stay as sent. In English the
# catalogue's free text is Chinese only (as the guide says), so the item's strings are allowed,
# also inside one of our sentences. Everything the screens word themselves must read fully, and fit
# in English.
def catalogue_strings(item: dict[str, Any]) -> set[str]:
    return {s for s in _strings(catalogue_text.localized(item, "zh_CN")) if s}


def walk_check(ui, language: str, where: str, item: dict[str, Any], *answers: Any) -> None:
    QApplication.processEvents()
    answered = {s for a in answers for s in _strings(a) if s}
    if language == "en":
        check(ui, language, where, answered, embedded=catalogue_strings(item) | answered)
    else:
        own = catalogue_strings(item)
        check(ui, language, where, answered - own, embedded=answered - own, refused=own)


def ours(language: str, source: str) -> str:
    return i18n.translated(source, language)


@pytest.fixture
def pay_ui(ui, qapp):
    yield ui
    ui.runner.go_home("test over")  # late poll answers are dropped by the runner from here
    QThreadPool.globalInstance().waitForDone(10_000)
    qapp.processEvents()
    countdown.stop_all()


@pytest.mark.parametrize("language", ["zh_HK", "en"])
def test_a_payment_reads_fully(pay_ui, qtbot, monkeypatch, language) -> None:
    ui, item = pay_ui, BY_ID["resident-pension-payment"]
    switch(ui, qtbot, language)
    enter_at(ui, monkeypatch, item, "dues", "chen_guiying")
    screen(ui, qtbot, "dues")
    walk_check(ui, language, "pay/dues", item)
    tap(ui, ours(language, "为本人缴费"))
    dues = ui.runner.steps["dues"]
    qtbot.waitUntil(lambda: dues.answer is not None and bool(dues.due_group.buttons()), timeout=10_000)
    walk_check(ui, language, "pay/dues list", item)
    dues.due_group.button(0).click()
    tap(ui, ours(language, "下一步"))
    screen(ui, qtbot, "confirm")
    walk_check(ui, language, "pay/confirm", item)
    tap(ui, ours(language, "确认无误"))
    screen(ui, qtbot, "payment")
    walk_check(ui, language, "pay/payment methods", item)
    payment = ui.runner.steps["payment"]
    tap(ui, ours(language, "微信支付"))
    qtbot.waitUntil(lambda: payment.state == "waiting", timeout=10_000)
    walk_check(ui, language, "pay/payment waiting", item)
    tap(ui, ours(language, "取消支付"))
    qtbot.waitUntil(lambda: payment.state == "stopped", timeout=10_000)
    walk_check(ui, language, "pay/payment stopped", item)


@pytest.mark.parametrize("language", ["zh_HK", "en"])
def test_an_appointment_reads_fully(ui, qtbot, monkeypatch, language) -> None:
    item = BY_ID["hrss-window-appointment"]
    switch(ui, qtbot, language)
    enter_at(ui, monkeypatch, item, "slots", "chen_guiying", {"service": "养老保险", "phone": "13827510261"})
    screen(ui, qtbot, "slots")
    slots = ui.runner.steps["slots"]
    qtbot.waitUntil(lambda: slots.page == "choose", timeout=10_000)
    walk_check(ui, language, "appointment/slots", item)
    next(b for b in slots.slot_group.buttons() if b.isEnabled()).click()
    tap(ui, ours(language, "确认预约"))
    qtbot.waitUntil(lambda: slots.page == "ticket", timeout=10_000)
    walk_check(ui, language, "appointment/ticket", item, slots.booking)


@pytest.mark.parametrize("language", ["zh_HK", "en"])
def test_a_queue_ticket_reads_fully(ui, qtbot, monkeypatch, language) -> None:
    item = BY_ID["real-estate-hall-ticket"]
    switch(ui, qtbot, language)
    enter_at(ui, monkeypatch, item, "ticket", "chen_guiying")
    screen(ui, qtbot, "ticket")
    ticket = ui.runner.steps["ticket"]
    walk_check(ui, language, "queue/choose", item)
    ticket.groups[0][1].button(0).click()
    tap(ui, ours(language, "取号"))
    qtbot.waitUntil(lambda: ticket.ticket is not None, timeout=10_000)
    walk_check(ui, language, "queue/ticket", item, ticket.ticket)


@pytest.mark.parametrize("language", ["zh_HK", "en"])
def test_progress_reads_fully(ui, qtbot, monkeypatch, language) -> None:
    item = BY_ID["hrss-progress"]
    switch(ui, qtbot, language)
    enter_at(ui, monkeypatch, item, "progress", "chen_guiying")
    screen(ui, qtbot, "progress")
    progress = ui.runner.steps["progress"]
    qtbot.waitUntil(lambda: progress.page == "list", timeout=10_000)
    walk_check(ui, language, "progress/list", item, FAKE_APPLICATIONS)
    for app in FAKE_APPLICATIONS:
        tap(ui, app["acceptance_no"])
        qtbot.waitUntil(lambda: progress.page == "detail", timeout=10_000)
        walk_check(ui, language, f"progress/{app['acceptance_no']}", item, FAKE_APPLICATIONS)
        tap(ui, ours(language, "返回我的办件"))
        qtbot.waitUntil(lambda: progress.page == "list", timeout=10_000)


@pytest.mark.parametrize("language", ["zh_HK", "en"])
def test_certify_reads_fully(ui, qtbot, monkeypatch, language) -> None:
    item = BY_ID["pension-eligibility-certification"]
    switch(ui, qtbot, language)
    enter_at(ui, monkeypatch, item, "certify", "chen_guiying")
    screen(ui, qtbot, "certify")
    certify = ui.runner.steps["certify"]
    qtbot.waitUntil(lambda: certify.result is not None, timeout=10_000)
    walk_check(ui, language, "certify/certified", item)
    ui.runner.go_home("next")
    ui.session.wipe()
    switch(ui, qtbot, language)
    ui.desk.not_eligible = True  # the platform's reason, and the window to ask at
    enter_at(ui, monkeypatch, item, "certify", "li_jianguo")
    screen(ui, qtbot, "certify")
    qtbot.waitUntil(lambda: certify.refusal == "not_eligible", timeout=10_000)
    reason = f"系统显示您目前没有领取相关待遇，无需认证。如有疑问，请到{item['implementing_body']['name']}咨询。"
    walk_check(ui, language, "certify/not eligible", item, reason)


DEATH_BENEFIT = "resident-pension-death-benefit"  # 容缺, e-licences of level A and B, 告知承诺; every field kind
DEATH_BENEFIT_FORM = {"deceased_id_number": "440204194203080028", "death_date": "2026-01-05",
                      "relation": "其他继承人", "bank_account": "6222021234567890", "phone": "13827510261"}


@pytest.mark.parametrize("language", ["zh_HK", "en"])
def test_the_form_reads_fully(ui, qtbot, monkeypatch, language) -> None:
    item = BY_ID[DEATH_BENEFIT]
    switch(ui, qtbot, language)
    enter_at(ui, monkeypatch, item, "form", "chen_guiying")
    screen(ui, qtbot, "form")
    form = ui.runner.steps["form"]
    qtbot.waitUntil(lambda: len(form.pages) == len(item["form_fields"]), timeout=10_000)
    assert form.check_page is not None  # the pre-filled answers, for checking
    form._show(form.check_page)
    walk_check(ui, language, "form/check", item)
    for page in form.pages:  # every question, pre-filled or not; a select's option chosen
        form._show(page)
        walk_check(ui, language, f"form/{page.spec['name']}", item)
        if page.group is not None:
            page.group.button(len(page._options) - 1).click()
        form._confirm_page()  # an empty answer says what to fill, with the field's label
        walk_check(ui, language, f"form/{page.spec['name']} checked", item)


@pytest.mark.parametrize("language", ["zh_HK", "en"])
def test_materials_and_confirm_read_fully(ui, qtbot, monkeypatch, language) -> None:
    item = BY_ID[DEATH_BENEFIT]
    switch(ui, qtbot, language)
    enter_at(ui, monkeypatch, item, "materials", "chen_guiying", DEATH_BENEFIT_FORM)
    screen(ui, qtbot, "materials")
    materials = ui.runner.steps["materials"]
    qtbot.waitUntil(lambda: len(materials.pages) == len(item["materials"]), timeout=10_000)
    licences = ui.session.results.get("elicences")
    guide_lines = [line for s in guide.sections(item) for line in s.lines] if language == "en" else []
    for n, page in enumerate(materials.pages):
        walk_check(ui, language, f"materials/{n + 1}", item, licences, guide_lines)  # the guide's line, Chinese only
        for i in range(len(page.options)):  # every way: a choice is shown as chosen, a panel is opened
            page.options[i].click()
            walk_check(ui, language, f"materials/{n + 1} way {i + 1}", item, licences, guide_lines)
            if materials.stack.currentWidget() is not materials.pages_host:
                materials._back_to_page()
        if page.material["name"] not in materials.provided:
            materials._record(mat.Provided(page.material["name"], "window", label=i18n.tr("提交后到窗口提交")))
        materials.next.click()
    screen(ui, qtbot, "confirm")
    walk_check(ui, language, "apply/confirm", item)
    shown_rows = dict(ui.runner.steps["confirm"].values())
    relation = next(f for f in item["form_fields"] if f["name"] == "relation")
    if language == "zh_HK":  # the form's label and option, the materials' names: as the item shows them
        hant = catalogue_text.localized(item, "zh_HK")
        assert shown_rows[hant["form_fields"][2]["label"]] == "其他繼承人", shown_rows
        assert all(m["name"] in shown_rows for m in hant["materials"]), shown_rows
    else:
        assert shown_rows[relation["label"]] == "其他继承人", shown_rows
    assert ui.session.results["form"]["relation"] == "其他继承人"  # what is sent: as the catalogue has it
    assert [p.name for p in ui.session.results["materials"]] == [m["name"] for m in item["materials"]]


def test_the_language_lasts_for_the_session_only(ui, qtbot) -> None:
    switch(ui, qtbot, "en")
    assert "Search services" in find.visible_texts(ui.window)
    ui.runner.go_home("cancelled")
    ui.session.wipe()
    qtbot.waitUntil(lambda: ui.runner.languages.language == "zh_CN", timeout=5_000)
    assert ui.session.language == "zh_CN"
    find.wait_for_text(ui.window, "搜索业务")
    assert "Search services" not in find.visible_texts(ui.window)


def test_switching_back_and_forth_gives_the_same_screen(ui, qtbot) -> None:
    before = find.visible_texts(ui.window)
    for language in ("en", "zh_HK", "en", "zh_CN"):
        switch(ui, qtbot, language)
    after = find.visible_texts(ui.window)
    strip = [t for t in before if not re.match(r"\d{4}年", t)]  # the clock may have ticked
    assert [t for t in after if not re.match(r"\d{4}年", t)] == strip


@pytest.mark.parametrize("card_type,language,accept", [
    (CARD_TYPES["J"], "zh_HK", "繁體中文"), (CARD_TYPES["I"], "en", "English"), (CARD_TYPES["Y"], "en", "English")])
def test_a_card_offers_its_language_once_as_a_banner(ui, qtbot, monkeypatch, card_type, language, accept) -> None:
    item = BY_ID[PRINT_ITEM]
    persona, _, fields, _ = PRINT_CASES[PRINT_ITEM]
    enter_at(ui, monkeypatch, item, "identify", None)
    p = get_persona(persona)
    ui.session.set_identity(Identity("idcard", p.name, p.id_number, card_type=card_type))
    plan_len = len(ui.runner.plan)
    ui.runner.steps["identify"].done.emit({"method": "idcard"})
    offer = ui.runner.language_offer
    qtbot.waitUntil(offer.isVisible, timeout=5_000)
    assert len(ui.runner.plan) == plan_len  # a banner, not a step
    tap(ui, accept)
    qtbot.waitUntil(lambda: ui.runner.languages.language == language, timeout=5_000)
    assert not offer.isVisible()
    offer.consider(card_type, "zh_CN")  # once per session
    assert not offer.isVisible()
    ui.session.wipe()
    assert not offer.offered


def test_a_resident_card_offers_nothing(ui, qtbot, monkeypatch) -> None:
    enter_at(ui, monkeypatch, BY_ID[PRINT_ITEM], "identify", None)
    ui.runner.language_offer.consider(CARD_TYPES["resident"], "zh_CN")
    assert not ui.runner.language_offer.isVisible()


@pytest.mark.parametrize("language", ["zh_HK", "en"])
def test_slips_print_in_the_session_language(ui, qtbot, language) -> None:
    switch(ui, qtbot, language)
    item = BY_ID[PRINT_ITEM]
    ui.session.start(item)
    slip = receipts.certification_proof(item["name"], "陈桂英", "440203194203080026", certification_no="RZ1",
                                        certified_at=datetime(2026, 12, 1, 9, 0),
                                        valid_until=date(2027, 12, 1),
                                        printed_at=datetime(2026, 12, 1, 9, 1))
    text = receipts.localized(slip).plain_text()
    if language == "en":
        for word in ("Certification receipt", item["name_en"], "Valid until: 12/2027", "Certified"):
            assert word in text, text
        assert not [run for run in CJK.findall(text) if run not in "陈桂英"], text
    else:
        assert catalogue_text.to_hk(text) == text and "認證憑證" in text, text
    ui.session.wipe()
    assert receipts.localized(slip) is slip  # zh_CN again: the templates as they are


def test_two_sources_with_one_translation_come_back_as_they_were(ui, qtbot) -> None:
    """上一步 and 返回 are both "Back" in English: each button comes back to its own source."""
    ui.runner.start_item(BY_ID[PRINT_ITEM])
    screen(ui, qtbot, "guide")
    assert "上一步" in find.visible_texts(ui.window)
    ui.runner.set_language("en")
    ui.runner.set_language("zh_CN")
    assert "上一步" in find.visible_texts(ui.window)
    assert i18n.translated("上一步", "en") == i18n.translated("返回", "en")  # still the case this guards
