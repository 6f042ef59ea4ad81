"""代办 (proxy) on screen: the agent's part of the identify (or face) step, and the 办理人 / 代办人 label.

The principal (办理人, the person the item is for) identifies first, and gives the face where the
plan has a face step. Then `AgentPanel` asks how the agent (代办人) relates to them and reads the
agent's ID card; POST /identity/proxy adds the agent to the platform session and the Session keeps
both. The panel lives on whichever step comes last of the two (identify or face), so a 代办 never
adds a step, and nobody else ever sees it.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QGridLayout, QVBoxLayout, QWidget

from kiosk.services import messages
from kiosk.services.session import Proxy, Session
from kiosk.ui.i18n import tr
from kiosk.ui.listening import Listening
from kiosk.ui.steps.base import StepContext
from kiosk.ui.widgets import label, mask_name, option_button

RELATIONS = (tr("子女"), tr("配偶"), tr("父母"), tr("兄弟姐妹"), tr("其他亲属"), tr("村（居）干部"), tr("其他"))
REFUSALS_TO_SHOW = ("person_not_found", "identity_mismatch", "id_card_expired", "proxy_same_person",
                    "proxy_not_allowed")


def wants_proxy(ctx: StepContext) -> bool:
    """The resident tapped 帮他人办理 on the identify step of this journey."""
    return bool((ctx.results.get("identify") or {}).get("proxy"))


def agent_comes_after(ctx: StepContext, kind: str) -> bool:
    """Whether the agent identifies on a later step than `kind` (the face step, when the plan has one)."""
    kinds = ctx.plan.kinds
    return "face" in kinds[kinds.index(kind) + 1:] if kind in kinds else False


def persons_line(session: Session) -> str:
    """"办理人：陈*英　代办人：李*国（子女）" in a 代办, else "" (the journey bar shows it on every step)."""
    identity, proxy = session.identity, session.proxy
    if identity is None or proxy is None:
        return ""
    return tr("办理人：{holder}　代办人：{agent}（{relation}）").format(
        holder=mask_name(identity.name), agent=mask_name(proxy.name), relation=tr(proxy.relation))


class AgentPanel(QWidget):
    """Relation, then the agent's ID card → POST /identity/proxy. Emits `accepted` when the platform
    took the agent; refusals it can explain (wrong person, expired card…) stay on the panel."""

    accepted = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(16)
        self.heading = label(tr("办理人身份核验成功。下面请代办人核验身份。"), "subtitle")
        self.heading.setAlignment(Qt.AlignmentFlag.AlignCenter)
        lay.addWidget(self.heading)
        self.ask = label(tr("代办人与办理人是什么关系？"), "body")
        self.ask.setAlignment(Qt.AlignmentFlag.AlignCenter)
        lay.addWidget(self.ask)
        grid = QGridLayout()
        grid.setSpacing(16)
        self.relations = {}
        for i, text in enumerate(RELATIONS):
            b = option_button(text)
            b.clicked.connect(lambda _=False, t=text: self._choose(t))
            grid.addWidget(b, i // 4, i % 4)
            self.relations[text] = b
        lay.addLayout(grid)
        self.picture = label("", "methodPicture", wrap=False)
        self.picture.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.picture.setAccessibleName(tr("代办人身份证放置位置示意图"))
        lay.addWidget(self.picture)
        self.instructions = label("", "body")
        self.instructions.setAlignment(Qt.AlignmentFlag.AlignCenter)
        lay.addWidget(self.instructions)
        self.error = label("", "error")
        self.error.setAlignment(Qt.AlignmentFlag.AlignCenter)
        lay.addWidget(self.error)
        self.ctx: StepContext | None = None
        self.relation = ""
        self.listening: Listening | None = None

    # ---- the panel's life ---------------------------------------------------------------------
    def start(self, ctx: StepContext) -> None:
        self.stop()
        self.ctx, self.relation = ctx, ""
        for b in self.relations.values():
            b.setChecked(False)
        self.error.setText("")
        self.picture.setText("")
        self.instructions.setText(messages.text("proxy.choose_relation"))
        reader = ctx.devices.get("idcard")
        if reader is None:
            self.error.setText(messages.text("idcard.reader_unavailable"))
            return
        self.listening = Listening(reader, self, on_data=self._on_card, on_error=self._on_card_error,
                                   on_status=self._on_status)
        if self.listening.down:
            self.error.setText(messages.text("idcard.reconnecting"))

    def stop(self) -> None:
        if self.listening is not None:
            self.listening.stop()
            self.listening = None

    def prompt(self) -> str:
        if not self.relation:
            return tr("请选择代办人与办理人的关系。")
        return tr("请代办人把本人身份证平放在读卡区。")

    def clear(self) -> None:
        self.stop()
        self.ctx, self.relation = None, ""
        self.error.setText("")
        for b in self.relations.values():
            b.setChecked(False)

    # ---- the resident's answers ---------------------------------------------------------------
    def _choose(self, relation: str) -> None:
        self.relation = relation
        for text, b in self.relations.items():
            b.setChecked(text == relation)
        self.picture.setText(tr("▭ 代办人身份证 ▼［ 读卡区 ］"))
        self.instructions.setText(tr("请先取回办理人的证件，再由代办人将本人身份证平放在「身份证读卡区」。"))
        if self.listening is not None:
            self.listening.resume()  # the reader listens only once the relation is known

    def _on_status(self, status: Any) -> None:
        if self.listening is None:
            return
        self.error.setText(messages.text("idcard.reconnecting") if self.listening.down else "")

    def _on_card_error(self, failure: Any) -> None:
        self.error.setText(messages.for_error(failure))

    def _on_card(self, card: Any) -> None:
        ctx, listening = self.ctx, self.listening
        if ctx is None or listening is None or not self.relation:
            return  # not waiting for the agent: drop the card, never keep it
        listening.pause()
        proxy = Proxy(name=card.name, id_number=card.id_number, relation=self.relation)
        token = ctx.session.platform_token
        self.error.setText("")
        ctx.run(lambda: ctx.services.add_proxy(token, ctx.item, proxy), lambda _: self._accepted(proxy),
                self._refused, busy=tr("正在核验代办人身份，请稍候……"))

    def _accepted(self, proxy: Proxy) -> None:
        if self.ctx is None:
            return
        self.ctx.session.set_proxy(proxy)
        self.stop()
        self.accepted.emit()

    def _refused(self, exc: Exception) -> None:
        ctx = self.ctx
        if ctx is None:
            return
        if getattr(exc, "code", None) in REFUSALS_TO_SHOW:  # say so here; the next card is read as usual
            self.error.setText(messages.for_error(exc))
            if self.listening is not None:
                self.listening.resume()
            return
        ctx.fail(exc, retry=lambda: self.listening is not None and self.listening.resume())
