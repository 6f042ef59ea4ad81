"""The UI's languages: 简 (zh_CN, the source), 繁 (zh_HK) and EN, for one session.

- Strings: `tr("…")` (context "", a name pyside6-lupdate reads) for screen text, the message table's
  context "messages" (kiosk/services/messages.py). zh_CN is the source text; translations live in
  assets/i18n/kiosk_<lang>.ts (committed) and are compiled to .qm by `make` (tools/setup.sh runs
  pyside6-lrelease; `make i18n` also re-extracts the .ts with pyside6-lupdate). A placeholder is
  `tr("第 {n} 步").format(n=…)`, never an f-string inside tr().
- Switching: `Languages.set_language(code)` swaps the one installed QTranslator and emits `changed`;
  the runner then calls every screen's `retranslate()`. The choice lives in `Session.language` and
  goes back to zh_CN at wipe.
- Retranslating without rebuilding: `retranslate_tree(widget, old, new)` finds each label's and
  button's source text through the .ts files (old translation → source → new translation), so a
  screen needs code only for text it builds from data (item names, formatted sentences).
"""

from __future__ import annotations

import logging
import xml.etree.ElementTree as ET
from functools import cache
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QObject, QTranslator, Signal
from PySide6.QtWidgets import QAbstractButton, QLabel, QLineEdit, QWidget

from kiosk.assets import ASSETS
from kiosk.services import catalogue_text, messages

log = logging.getLogger(__name__)

SOURCE = "zh_CN"
SOURCE_TEXT = "i18nSource"  # the source a label or button showed when its language last changed
KEEP = "keepLanguage"  # a widget property: retranslate_tree leaves the widget and its children alone
LANGUAGES = {"zh_CN": "简", "zh_HK": "繁", "en": "EN"}  # the home screen's switch, in this order
I18N_DIR = ASSETS / "i18n"


_current = SOURCE


def current() -> str:
    """The UI language now (the session's; zh_CN between sessions)."""
    return _current


def item_text(item: dict, field: str) -> str:
    """A catalogue item's text (name, a guide field…) in the current language."""
    return catalogue_text.item_text(item, field, _current)


def shown(item: dict | None, text: str) -> str:
    """One of the item's catalogue strings (a material's name, a field's label or option, the hall…)
    in the current language, for display only: what is sent or compared stays `text`. Text that is
    not the item's own (the platform's answers, personal data) is shown as it is."""
    return catalogue_text.shown_text(item, text, _current)


def tr(text: str) -> str:
    """A screen string in the current language (the source text when no translation is loaded)."""
    return QCoreApplication.translate("", text)


def ts_path(language: str) -> Path:
    return I18N_DIR / f"kiosk_{language}.ts"


def qm_path(language: str) -> Path:
    return I18N_DIR / f"kiosk_{language}.qm"


@cache
def table(language: str) -> dict[tuple[str, str], str]:
    """(context, source) → finished translation, read from the committed .ts file."""
    if language == SOURCE:
        return {}
    out: dict[tuple[str, str], str] = {}
    root = ET.parse(ts_path(language)).getroot()
    for ctx in root.iter("context"):
        name = ctx.findtext("name") or ""
        for msg in ctx.iter("message"):
            source, trans = msg.find("source"), msg.find("translation")
            if source is None or trans is None or trans.get("type") in ("unfinished", "obsolete", "vanished"):
                continue
            if trans.text:
                out[(name, source.text or "")] = trans.text
    return out


@cache
def _reverse(language: str) -> dict[str, str]:
    """translation → source, over both contexts (a screen's text is looked up back to its source)."""
    return {t: s for (_ctx, s), t in table(language).items()}


def to_source(text: str, language: str) -> str:
    return text if language == SOURCE else _reverse(language).get(text, text)


def to_source_known(text: str, language: str, known: str) -> str:
    body = text.removeprefix("✓ ")
    return known if known and translated(known, language) == body else to_source(body, language)


def translated(source: str, language: str, context: str = "") -> str:
    if language == SOURCE:
        return source
    t = table(language)
    return t.get((context, source)) or t.get(("messages" if context == "" else "", source)) or source


def move_text(text: str, old: str, new: str, known_source: str = "") -> str:
    """A shown text from language `old` into `new`: whole, else line by line (a star rating's
    "★★★★★\n非常满意"), keeping an option's ✓. `known_source`: the source this widget showed last
    time, which wins when two sources share a translation (上一步 and 返回 are both "Back")."""
    mark = "✓ " if text.startswith("✓ ") else ""
    body = text.removeprefix(mark)
    source = known_source if known_source and translated(known_source, old) == body else to_source(body, old)
    moved = translated(source, new)
    if moved == body and "\n" in body:
        moved = "\n".join(translated(to_source(line, old), new) for line in body.split("\n"))
    return mark + moved


def retranslate_tree(root: QWidget, old: str, new: str) -> None:
    """Put every label, button and placeholder under root from language `old` into `new`."""
    if old == new:
        return
    widgets = [root, *root.findChildren(QWidget)]
    for w in widgets:
        if w.property(KEEP) or (w.parentWidget() is not None and w.parentWidget().property(KEEP)):
            continue  # written in its own language on purpose (the switch, the card's offer)
        if isinstance(w, (QLabel, QAbstractButton)):
            text = w.text()
            if text:
                known = w.property(SOURCE_TEXT) or ""
                if old == SOURCE:
                    known = text.removeprefix("✓ ")
                moved = move_text(text, old, new, known)
                w.setProperty(SOURCE_TEXT, to_source_known(text, old, known))
                if moved != text:
                    w.setText(moved)
        elif isinstance(w, QLineEdit) and w.placeholderText():
            w.setPlaceholderText(move_text(w.placeholderText(), old, new))
        name = w.accessibleName()
        if name:
            w.setAccessibleName(move_text(name, old, new))


class Languages(QObject):
    """The one installed QTranslator, swapped per session language."""

    changed = Signal(str, str)  # old, new

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        global _current
        self.language = _current = SOURCE  # a new kiosk (a test, a scenario) starts in the source language
        self._translator: QTranslator | None = None
        messages.set_translator(lambda s: QCoreApplication.translate("messages", s))

    def set_language(self, language: str) -> None:
        if language not in LANGUAGES:
            raise ValueError(f"unknown UI language {language!r}; expected one of {', '.join(LANGUAGES)}")
        if language == self.language:
            return
        app = QCoreApplication.instance()
        if self._translator is not None and app is not None:
            app.removeTranslator(self._translator)
            self._translator = None
        if language != SOURCE:
            translator = QTranslator(self)
            if not translator.load(str(qm_path(language))):
                log.error("no compiled translation %s (run make setup); staying in %s", qm_path(language), self.language)
                return
            if app is not None:
                app.installTranslator(translator)
            self._translator = translator
        global _current
        old, self.language = self.language, language
        _current = language
        log.info("UI language %s", language)
        self.changed.emit(old, language)
