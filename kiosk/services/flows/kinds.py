"""The frozen vocabulary of the resident UI: step kinds and the flow kinds made of them.

These names are contract: scenarios (`expect_screen:`), the technician tools and docs/architecture.md
use them. Add a step kind here and in docs/architecture.md together; never rename one.
"""

from __future__ import annotations

from dataclasses import dataclass

STEP_KINDS: tuple[str, ...] = (
    "guide",      # 一次性告知: every 办事指南 element, then 开始办理
    "identify",   # who the resident is: ID card, e-ID QR, 社保卡 (methods from auth_methods)
    "face",       # consent, live preview, blink, match against the platform photo
    "form",       # the item's form fields that need the resident's answer
    "materials",  # each material: e-licence, document camera, 告知承诺, 容缺
    "confirm",    # everything that will be sent, checked before it is sent
    "query",      # records from the platform: a list with a detail view
    "document",   # a certificate shown for checking, then printed
    "certify",    # identity-only certification (e.g. 养老待遇资格认证)
    "submit",     # the application goes out (exactly once), the acceptance comes back
    "dues",       # what is owed: contribution tiers or a utility bill
    "payment",    # the payment QR, waiting for the phone
    "slots",      # an appointment date and time slot
    "ticket",     # a queue number
    "progress",   # how an application is going
    "result",     # the outcome, the printed slip, 请取走… reminders
    "rate",       # 好差评: voluntary, nothing pre-selected, 跳过 always there
)

# Screens that are not steps of a plan (also names for `expect_screen:`).
OTHER_SCREENS: tuple[str, ...] = ("home", "busy", "error", "not_built",
                                 "technician_pin", "technician")  # kiosk/ui/technician/

FLOW_KINDS: dict[str, tuple[str, ...]] = {
    "query": ("guide", "identify", "face", "form", "query", "result", "rate"),
    "print": ("guide", "identify", "face", "form", "document", "result", "rate"),
    "certify": ("guide", "identify", "face", "certify", "result", "rate"),
    "apply": ("guide", "identify", "face", "form", "materials", "confirm", "submit", "result", "rate"),
    "bundle": ("guide", "identify", "face", "form", "materials", "confirm", "submit", "result", "rate"),
    "pay": ("guide", "identify", "face", "dues", "confirm", "payment", "result", "rate"),
    "appointment": ("guide", "identify", "face", "form", "slots", "result", "rate"),
    "queue": ("guide", "identify", "face", "ticket", "result", "rate"),
    "progress": ("guide", "identify", "face", "progress", "result", "rate"),
}

# Sending steps: while one is not built, the plan still runs the steps before it (the form and the
# materials can be used and tested) and ends there in `not_built`, which says nothing was sent.
# Every other missing step ends the plan right after the guide. (Until issue 20 builds them.)
SENDING_STEPS = frozenset({"confirm", "submit"})

# After one of these has done its work there is no going back (a print, a submission, a payment…;
# a query shown and perhaps printed is done too: the result and the rating follow, and a 社保卡 taken
# out then is what the resident was asked to do, not a walk-away).
COMMITTING_STEPS = frozenset({"query", "document", "certify", "submit", "payment", "slots", "ticket"})

IDENTITY_METHODS: tuple[str, ...] = ("idcard", "sscard", "eid_qr")  # `face` is a step of its own
FORM_FIELD_TYPES: tuple[str, ...] = ("select", "checkbox", "date", "number", "phone", "id_number",
                                     "money", "text", "textarea")


@dataclass(frozen=True)
class Built:
    """What this kiosk build can show: step kinds, identity methods and form field types."""

    steps: frozenset[str]
    methods: frozenset[str]
    field_types: frozenset[str]


# Grows issue by issue; a step not in here becomes an honest 暂未开通 screen.
BUILT = Built(
    steps=frozenset({"guide", "identify", "face", "form", "materials", "query", "document", "certify", "result",
                     "rate", "dues", "confirm", "payment", "slots", "ticket", "progress"}),
    methods=frozenset({"idcard", "sscard", "eid_qr"}),
    field_types=frozenset({"select", "checkbox", "date", "number", "phone", "id_number", "money",
                           "text", "textarea"}),
)
