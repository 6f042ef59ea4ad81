"""简 / 繁 / EN: home, the guide, identify, the document, the result, the rating, a query's records,
the error screen in each language, and the banner a 'J' (Hong Kong / Macao) card brings."""

from __future__ import annotations

from kiosk.services.messages import CodedError
from kiosk.ui.language_switch import ACCESSIBLE
from tools.shots.kit import Kit

PRINT_ID = "social-insurance-certificate-print"
QUERY_ID = "social-insurance-payment-records"


def item(kit: Kit, item_id: str) -> dict:
    return next(i for i in kit.runner.home.items if i["id"] == item_id)


def shots(kit: Kit) -> None:
    for language in ("zh_CN", "zh_HK", "en"):
        journey(kit, language)
    offer(kit)


def journey(kit: Kit, language: str) -> None:
    def switch() -> None:
        kit.tap(ACCESSIBLE[language])
        kit.until(lambda: kit.runner.languages.language == language, f"the {language} UI")

    switch()
    kit.shot(f"lang-{language}-01-home")
    kit.runner.start_item(item(kit, PRINT_ID))
    kit.screen("guide")
    kit.shot(f"lang-{language}-02-guide")
    kit.runner.steps["guide"].start.click()
    kit.screen("identify")
    kit.shot(f"lang-{language}-03-identify")
    kit.card(kit.persona())
    kit.screen("document")
    kit.until(lambda: kit.runner.steps["document"].print.isEnabled(), "the certificate")
    kit.shot(f"lang-{language}-04-document")
    kit.runner.steps["document"].print.click()
    kit.screen("result")
    kit.shot(f"lang-{language}-05-result")
    kit.card(None)
    kit.runner._go(kit.runner.plan.kinds.index("rate"))
    kit.screen("rate")
    kit.shot(f"lang-{language}-06-rate")
    kit.home()

    switch()
    kit.runner.start_item(item(kit, QUERY_ID))
    kit.screen("guide")
    kit.runner.steps["guide"].start.click()
    kit.screen("identify")
    kit.card(kit.persona())
    kit.until(lambda: kit.window.current in ("form", "query"), "the query")
    if kit.window.current == "form":
        kit.shot(f"lang-{language}-07-form")
        kit.home()
    else:
        kit.until(lambda: kit.runner.steps["query"].answer is not None, "the records")
        kit.shot(f"lang-{language}-07-query")
        kit.card(None)
        kit.runner.fail(CodedError("backend.offline", "screenshot"), retry=lambda: None)
        kit.screen("error")
        kit.shot(f"lang-{language}-08-error")
        kit.home()


def offer(kit: Kit) -> None:
    """A 港澳居民居住证 read in 简体: the offer of 繁體, once, under the title bar."""
    kit.runner.start_item(item(kit, PRINT_ID))
    kit.screen("guide")
    kit.runner.steps["guide"].start.click()
    kit.screen("identify")
    kit.card("wong_kaming")
    kit.until(lambda: kit.runner.language_offer.isVisible() or kit.window.current == "error", "the offer")
    kit.shot("lang-09-offer-hk-card")
    kit.card(None)
    kit.home()
