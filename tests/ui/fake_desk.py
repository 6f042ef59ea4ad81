"""A fake service desk for UI tests: the same methods as kiosk.services.service_desk.ServiceDesk,
answered in memory from the real catalogue data, with failures that a test can queue.

UI tests run against this, without the hub (the hub stays for tests/e2e). Each flow's helper adds the
calls its steps make, in the same sections as ServiceDesk.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from kiosk.devices.camera import Camera
from kiosk.devices.face_capture import FaceAssessment, Guidance
from kiosk.devices.id_card_fields import IdCardData
from kiosk.devices.liveness import FaceCheckResult
from kiosk.devices.model import Command, Completion, DeviceError, DeviceState
from kiosk.devices.sscard_apdu import SocialSecurityCardData
from kiosk.services import receipts
from kiosk.services.backend_types import BackendError
from kiosk.services.service_desk import (
    HOLDER_KEYS,
    FaceCheck,
    PlatformSession,
    PrintOutcome,
    ServiceDesk,
    home_rank_key,
)
from kiosk.services.session import Identity, Proxy
from simulators.backend import applications as apps
from simulators.backend.catalogue import load_items
from simulators.personas import Persona, by_eid_token, by_id_number, get_persona, load_personas

ITEMS = load_items(None)
BY_ID = {i["id"]: i for i in ITEMS}
FAKE_ACCOUNTS = ("03000012345",)  # the one 户号 the fake platform knows
FAKE_APPLICATIONS = [  # one identified resident's applications (chen_guiying's ID number ends in 0028)
    {"acceptance_no": "YS20261028100028", "item_id": "social-security-card-application", "item_name": "社会保障卡申领",
     "status": "材料待上传", "accepted_at": "2026-10-28T10:12:00+08:00", "finished_at": None,
     "promised_date": "2026-11-11", "pending_materials": ["近期免冠白底彩色照片（电子版）"], "missing_later": [],
     "note": None, "progress_qr": "https://x.invalid/progress?acceptance_no=YS20261028100028&id_last4=0028",
     "steps": [{"name": "受理", "state": "current", "at": None}, {"name": "审核", "state": "todo", "at": None},
               {"name": "办结", "state": "todo", "at": None}]},
    {"acceptance_no": "YS20230720100028", "item_id": "unemployment-insurance-benefit-claim",
     "item_name": "失业保险金申领", "status": "已办结", "accepted_at": "2023-07-20T10:12:00+08:00",
     "finished_at": "2023-07-31T16:30:00+08:00", "promised_date": "2023-08-03", "pending_materials": [],
     "missing_later": [], "note": "核定领取失业保险金6个月。", "progress_qr": "",
     "steps": [{"name": "受理", "state": "done", "at": "2023-07-20T10:12:00+08:00"},
               {"name": "审核", "state": "done", "at": None},
               {"name": "办结", "state": "done", "at": "2023-07-31T16:30:00+08:00"}]},
]


def card_of(persona_id: str) -> IdCardData:
    """What the ID-card reader would deliver for a synthetic persona."""
    p: Persona = get_persona(persona_id)
    return IdCardData(card_type="resident" if p.layout == "resident" else p.layout, name=p.name,
                      english_name=p.english_name, sex="女" if p.sex_code == "2" else "男", nation="汉",
                      nationality=p.nationality, birth_date=p.birth_date, address=p.address,
                      id_number=p.id_number, authority=p.authority, valid_from=p.valid_from,
                      valid_to=p.valid_to, pass_number=p.pass_number, issue_count=p.issue_count,
                      layout=p.layout)


def sscard_of(persona_id: str) -> SocialSecurityCardData:
    """What the 社保卡 reader would deliver for a synthetic persona with a 社保卡."""
    p: Persona = get_persona(persona_id)
    assert p.sscard is not None, persona_id
    c = p.sscard
    return SocialSecurityCardData(region_code=c.region_code, card_type=c.card_type, spec_version=c.spec_version,
                                  issue_date=c.issue_date, expiry_date=c.expiry_date,
                                  card_identifier=c.card_identifier, issuing_institution=c.issuing_institution,
                                  card_number=c.card_number, id_number=p.id_number, name=p.name,
                                  sex_code=p.sex_code, nation_code="01", birthplace=c.birthplace,
                                  birth_date=p.birth_date)


def refusal(code: str, message: str, status: int = 403) -> BackendError:
    """What the backend client raises for a refusal of the platform: its code and its own sentence."""
    return BackendError(code, f"HTTP {status} {code}", status, message)


class FakeDesk:
    kiosk_id = "TEST-0001"

    def __init__(self) -> None:
        self.offline = False
        self.submitted: dict[str, dict[str, Any]] = {}  # idempotency key → the application
        self.queued: dict[str, dict[str, Any]] = {}  # what would wait in the outbox
        self.calls: list[tuple[str, Any]] = []
        self.printed: list[receipts.Receipt] = []
        self.ratings: list[dict[str, Any]] = []
        self.events: list[tuple[str, str | None]] = []
        self._failures: dict[str, list[Exception]] = {}
        self._gate: dict[str, threading.Event] = {}
        self._lock = threading.Lock()
        self._holder: Identity | None = None
        self.face_answers: list[FaceCheck] = []  # queued answers of check_face; default: matched
        self.proxies: list[tuple[str, Proxy]] = []  # (item id, agent) accepted by add_proxy
        self.a4: str | None = None  # None: no A4 printer; "ok"; or the fault code it fails with
        self.printed_a4: list[dict[str, Any]] = []
        self.certifications: dict[tuple[str, str], dict[str, Any]] = {}
        self.not_eligible = False
        self.orders: dict[str, dict[str, Any]] = {}  # order_no → order (pay)
        self.order_keys: dict[str, str] = {}  # idempotency key → order_no
        self.paid_dues: dict[str, str] = {}  # due → the order that paid it
        self.order_ttl_s = 900
        self.full_slots: set[str] = set()  # slots filled meanwhile (→ slot_full)
        self.bookings: dict[str, dict[str, Any]] = {}  # idempotency key → booking
        self.tickets: dict[str, dict[str, Any]] = {}

    # ---- test controls ----------------------------------------------------------------------
    def fail_next(self, method: str, exc: Exception) -> None:
        """The next call of `method` raises `exc` (queued; one per call)."""
        self._failures.setdefault(method, []).append(exc)

    def hold(self, method: str) -> threading.Event:
        """Calls of `method` block until the returned event is set (to test late results)."""
        gate = self._gate.setdefault(method, threading.Event())
        return gate

    def _call(self, method: str, arg: Any, answer: Callable[[], Any]) -> Any:
        with self._lock:
            self.calls.append((method, arg))
            queued = self._failures.get(method)
            exc = queued.pop(0) if queued else None
        gate = self._gate.get(method)
        if gate is not None:
            gate.wait(30)
        if exc is not None:
            raise exc
        return answer()

    def called(self, method: str) -> list[Any]:
        return [arg for name, arg in self.calls if name == method]

    # ---- the ServiceDesk API ----------------------------------------------------------------
    def record_event(self, event_type: str, item: dict[str, Any] | None = None, *,
                     outcome: str | None = None, elderly_mode: bool | None = None) -> None:
        self.events.append((event_type, outcome))

    def check_online(self) -> bool:
        return self._call("check_online", None, lambda: not self.offline)

    def catalogue_items(self) -> list[dict[str, Any]]:
        return list(ITEMS)

    def home_items(self) -> list[dict[str, Any]]:
        return self._call("home_items", None, lambda: sorted(ITEMS, key=home_rank_key))

    def open_session(self, identity: Identity) -> PlatformSession:
        self._holder = identity  # like the platform: the session knows its holder
        return self._call("open_session", identity.method, lambda: PlatformSession(
            "token-" + identity.id_number[-4:], {"age": 70, "elderly": True}, (identity.method,)))

    def open_eid_session(self, token: str) -> PlatformSession:
        def answer() -> PlatformSession:
            p = by_eid_token(token)
            if p is None:
                raise refusal("eid_invalid", "电子身份证二维码无效或已过期，请在手机上刷新二维码后重新扫描。", 404)
            self._holder = Identity("eid_qr", p.name, p.id_number, birth_date=p.birth_date)
            return PlatformSession("token-eid", {"age": 70, "elderly": True}, ("eid_qr",), self._holder)
        return self._call("open_eid_session", "eid_qr", answer)

    def check_face(self, token: str, jpeg: bytes) -> FaceCheck:
        return self._call("check_face", len(jpeg), lambda: self.face_answers.pop(0) if self.face_answers
                          else FaceCheck(True, 3, True))

    def add_proxy(self, token: str, item: dict[str, Any], proxy: Proxy) -> None:
        self._call("add_proxy", item["id"], lambda: self.proxies.append((item["id"], proxy)))

    def end_platform_session(self, token: str) -> None:
        self._call("end_platform_session", token, lambda: None)

    def issue_certificate(self, token: str, item: dict[str, Any], fields: dict[str, Any]) -> dict[str, Any]:
        def answer() -> dict[str, Any]:
            holder = self._holder
            lines = [{"key": "holder_name", "label": "姓名", "value": holder.name},
                     {"key": "holder_id_number", "label": "公民身份号码", "value": holder.id_number},
                     {"key": "item_name", "label": "证明事项", "value": item["name"]}]
            lines += [{"key": f"field.{k}", "label": k, "value": str(v)} for k, v in fields.items()]
            return {"certificate_no": "ZM0001", "verification_code": "AAAA-BBBB-CCCC", "title": item["name"],
                    "seal": "测试单位", "lines": lines, "table": None, "qr": "https://x.invalid/verify?code=A",
                    "notice": ""}
        return self._call("issue_certificate", (item["id"], dict(fields)), answer)

    def certificate_receipt(self, document: dict[str, Any], identity: Identity) -> receipts.Receipt:
        lines = [(ln["label"], ln["value"]) for ln in document["lines"] if ln["key"] not in HOLDER_KEYS]
        return receipts.certificate(document["title"], identity.name, identity.id_number, lines,
                                    issuer=document["seal"], verify_code=document["verification_code"],
                                    verify_url=document["qr"], printed_at=datetime(2026, 12, 1),
                                    kiosk_id=self.kiosk_id, proxy=identity.proxy)

    # ---- applications: form pre-fill and materials ---------------------------------------------
    def form_prefill(self, token: str) -> list[dict[str, Any]]:
        def answer() -> list[dict[str, Any]]:
            p = by_id_number(self._holder.id_number)
            out = [{"key": "name", "value": p.name, "source": "身份证件"},
                   {"key": "id_number", "value": p.id_number, "source": "身份证件"},
                   {"key": "phone", "value": p.phone, "source": "实名登记手机号"}]
            if p.address:
                out.append({"key": "address", "value": p.address, "source": "户籍登记地址"})
            return out
        return self._call("form_prefill", token, answer)

    def elicences(self, token: str) -> list[dict[str, Any]]:
        def answer() -> list[dict[str, Any]]:
            p = by_id_number(self._holder.id_number)
            return [{**e, "usable_without_original": e["trust_level"] in ("A", "B")} for e in apps.elicences(p)]
        return self._call("elicences", token, answer)

    def upload_material(self, token: str, acceptance_no: str, name: str, content: bytes,
                        content_type: str) -> dict[str, Any]:
        return self._call("upload_material", (acceptance_no, name, content_type),
                          lambda: {"material_id": "M-1", "name": name, "content_type": content_type})

    # ---- submitting applications (issue 20) ----------------------------------------------------
    def submit_application(self, item: dict[str, Any], form: dict[str, Any], provided: list[Any], *,
                           token: str | None, identity: Identity | None, key: str,
                           proxy: Proxy | None = None, wait_s: float = 15.0) -> dict[str, Any]:
        from kiosk.services import materials as mat
        from kiosk.services.service_desk import application_body, queueable

        def answer() -> dict[str, Any]:
            body = application_body(item, form, mat.declarations(provided), mat.uploads(provided), key=key,
                                    identity=identity, proxy=proxy)
            if self.offline:
                if queueable(item, identity):
                    self.queued[key] = body
                    return {"state": "queued", "local_ref": body["local_ref"]}
                raise BackendError("offline", "fake platform unreachable")
            if key not in self.submitted:  # the platform's idempotency: the same answer again
                number = f"YS20261123{len(self.submitted) + 1:06d}"
                members = [{"acceptance_no": f"YS20261123{len(self.submitted) + 1:04d}{i:02d}", "item_id": m,
                            "item_name": BY_ID[m]["name"], "status": "已受理", "promised_date": "2026-12-04",
                            "pending_materials": [], "missing_later": []} for i, m in enumerate(item.get("bundle_items") or [], 1)]
                missing = [p.name for p in provided if p.by == "missing"]
                self.submitted[key] = {
                    "acceptance_no": number, "item_id": item["id"], "item_name": item["name"], "status": "已受理",
                    "promised_date": "2026-12-04", "pending_materials": [], "missing_later": missing,
                    "missing_due": [{"name": n, "due_date": "2026-12-21"} for n in missing], "members": members,
                    "progress_qr": f"https://x.invalid/progress?acceptance_no={number}&id_last4=0028", "body": body}
            return {"state": "accepted", "application": self.submitted[key]}
        return self._call("submit_application", (item["id"], key), answer)

    def progress_link(self, reference: str, id_number: str) -> str:
        return f"https://x.invalid/progress?acceptance_no={reference}&id_last4={id_number[-4:]}"

    def application_receipt(self, item: dict[str, Any], outcome: dict[str, Any], identity: Identity,
                            proxy: Proxy | None = None) -> receipts.Receipt:
        return ServiceDesk.application_receipt(self, item, outcome, identity, proxy)  # type: ignore[arg-type]

    # ---- pay, appointment, queue, progress (resident UI 4) ------------------------------------
    # In memory, shaped like the platform's answers; receipts through the real ServiceDesk builders.
    def pay_newest(self) -> dict[str, Any]:
        """Test control: the phone pays the newest pending order (like the hub's `pay: paid`)."""
        order = next(o for o in reversed(self.orders.values()) if o["status"] == "pending")
        order.update(status="paid", receipt={
            "title": "缴费凭证（测试）", "item_name": order["item_name"], "payee": "测试收款单位",
            "payer_name_masked": "陈**", "payer_id_masked": None if order["account"] else "4402**********0028",
            "account": order["account"], "account_label": "用电户号" if order["account"] else None,
            "label": order["label"], "amount_fen": order["amount_fen"], "paid_at": "2026-11-23T10:05:00+08:00",
            "transaction_no": "SIMTEST0001"})
        self.paid_dues[order["due_key"]] = order["order_no"]
        return order

    def _refuse(self, code: str, status: int = 409) -> BackendError:
        return BackendError(code, f"fake platform refused: {code}", status, f"（平台）{code}")

    def payment_dues(self, token: str | None, item: dict[str, Any], *, payer: str = "self",
                     payee_id_number: str | None = None, account: str | None = None) -> dict[str, Any]:
        def answer() -> dict[str, Any]:
            block = item["pay"]
            if not item["auth_methods"] and account not in FAKE_ACCOUNTS:
                raise self._refuse("account_not_found", 404)
            if block["amount_rule"] in ("tiers", "fixed"):
                dues = [{"due_id": f"opt-{i}", "label": o["label"], "amount_fen": o["amount_fen"]}
                        for i, o in enumerate(block["options"])]
            elif block["amount_rule"] == "bill":
                dues = [{"due_id": "bill-2026-10", "label": "2026-10 电费", "amount_fen": 12870}]
            else:
                dues = [{"due_id": "assessed-2027", "label": "2027年度应缴", "amount_fen": 38000}]
            for d in dues:
                number = self.paid_dues.get(self._due_key(item, d["due_id"], payee_id_number or account))
                d["paid"] = {"order_no": number, "check_code": self.orders[number]["check_code"]} if number else None
            return {"item_id": item["id"], "amount_rule": block["amount_rule"], "payee_name_masked": "陈**",
                    "account_label": block.get("account_label"), "dues": dues}
        return self._call("payment_dues", (item["id"], payer, payee_id_number, account), answer)

    def _due_key(self, item: dict[str, Any], due_id: str | None, who: str | None) -> str:
        tiers = item["pay"]["amount_rule"] in ("tiers", "fixed")
        return f"{item['id']}/{who or 'self'}/{'year' if tiers else due_id}"

    def create_order(self, token: str | None, item: dict[str, Any], choice: dict[str, Any], method: str, *,
                     key: str) -> dict[str, Any]:
        def answer() -> dict[str, Any]:
            if key in self.order_keys:  # the platform's idempotency: the same order again
                return dict(self.orders[self.order_keys[key]], status="pending")
            due_key = self._due_key(item, choice.get("due_id"), choice.get("payee_id_number") or choice.get("account"))
            if due_key in self.paid_dues:
                raise self._refuse("already_paid")
            number = f"DD20261123{len(self.orders) + 1:06d}"
            order = {"order_no": number, "check_code": "482913", "item_id": item["id"], "item_name": item["name"],
                     "lookup_qr": f"https://x.invalid/pay/lookup?order_no={number}&check=482913",
                     "label": choice.get("label", ""), "amount_fen": choice.get("amount_fen", 0), "method": method,
                     "qr_payload": f"weixin://wxpay/bizpayurl?pr=TEST{number}", "status": "pending",
                     "created_at": "2026-11-23T10:00:00+08:00", "expires_at": "2026-11-23T10:15:00+08:00",
                     "expires_in_s": self.order_ttl_s, "receipt": None, "account": choice.get("account"),
                     "due_key": due_key}
            for old in self.orders.values():
                if old["due_key"] == due_key and old["status"] == "pending":
                    old["status"] = "closed"
            self.orders[number] = order
            self.order_keys[key] = number
            return dict(order)
        return self._call("create_order", (item["id"], method, key), answer)

    def lookup_order(self, order_no: str, check_code: str) -> dict[str, Any]:
        def answer() -> dict[str, Any]:
            order = self.orders.get(order_no)
            if order is None or order["check_code"] != check_code:
                raise self._refuse("order_not_found", 404)
            return dict(order)
        return self._call("lookup_order", order_no, answer)

    def payment_receipt(self, order: dict[str, Any], proxy: Proxy | None = None) -> receipts.Receipt:
        return ServiceDesk.payment_receipt(self, order, proxy)  # type: ignore[arg-type]

    def order_slip(self, order: dict[str, Any], item: dict[str, Any]) -> receipts.Receipt:
        return ServiceDesk.order_slip(self, order, item)  # type: ignore[arg-type]

    def appointment_slots(self, item: dict[str, Any]) -> dict[str, Any]:
        def answer() -> dict[str, Any]:
            slots = []
            for day in ("2026-11-24", "2026-11-25"):
                for start, end in (("08:30", "09:00"), ("09:00", "09:30"), ("09:30", "10:00")):
                    slot_id = f"{day}T{start.replace(':', '')}"
                    full = start == "08:30" or slot_id in self.full_slots
                    slots.append({"slot_id": slot_id, "date": day, "start": start, "end": end, "capacity": 3,
                                  "remaining": 0 if full else 2})
            block = item["appointment"]
            return {"item_id": item["id"], "place": block["place"], "address": block["address"],
                    "slot_minutes": 30, "services": block.get("services", []), "slots": slots}
        return self._call("appointment_slots", item["id"], answer)

    def book(self, token: str, item: dict[str, Any], slot_id: str, form: dict[str, Any], *,
             service: str | None, key: str) -> dict[str, Any]:
        def answer() -> dict[str, Any]:
            if key in self.bookings:
                return self.bookings[key]
            if slot_id in self.full_slots:
                raise self._refuse("slot_full")
            day = slot_id[:10]
            if any(b["date"] == day for b in self.bookings.values()):
                raise self._refuse("already_booked")
            block = item["appointment"]
            booking = {"booking_no": f"YY20261123{len(self.bookings) + 1:06d}", "item_id": item["id"],
                       "place": block["place"], "address": block["address"], "date": day,
                       "start": f"{slot_id[11:13]}:{slot_id[13:15]}", "end": "—", "service": service,
                       "status": "已预约", "sms_to": "139****5678", "bring": ["本人有效身份证件原件"], "message": ""}
            self.bookings[key] = booking
            return booking
        return self._call("book", (item["id"], slot_id, dict(form), service), answer)

    def booking_receipt(self, booking: dict[str, Any], item: dict[str, Any]) -> receipts.Receipt:
        return ServiceDesk.booking_receipt(self, booking, item)  # type: ignore[arg-type]

    def take_ticket(self, token: str, item: dict[str, Any], form: dict[str, Any], *, key: str) -> dict[str, Any]:
        def answer() -> dict[str, Any]:
            if key not in self.tickets:
                block = item["queue"]
                self.tickets[key] = {
                    "ticket_no": f"{block['ticket_prefix']}{len(self.tickets) + 1:03d}", "item_id": item["id"],
                    "hall": block["hall"], "windows": block["windows"], "business": next(iter(form.values()), None),
                    "waiting_ahead": 4, "remote": bool(block.get("remote")), "issued_at": "2026-11-23T10:00:00+08:00",
                    "message": "请留意大厅叫号屏。"}
            return self.tickets[key]
        return self._call("take_ticket", (item["id"], dict(form)), answer)

    def ticket_receipt(self, ticket: dict[str, Any], item: dict[str, Any]) -> receipts.Receipt:
        return ServiceDesk.ticket_receipt(self, ticket, item)  # type: ignore[arg-type]

    def applications(self, token: str) -> list[dict[str, Any]]:
        return self._call("applications", token, lambda: [dict(a) for a in FAKE_APPLICATIONS])

    def lookup_application(self, acceptance_no: str, id_last4: str) -> dict[str, Any]:
        def answer() -> dict[str, Any]:
            found = next((a for a in FAKE_APPLICATIONS if a["acceptance_no"] == acceptance_no), None)
            if found is None or id_last4 != "0028":
                raise self._refuse("application_not_found", 404)
            return dict(found)
        return self._call("lookup_application", (acceptance_no, id_last4), answer)

    def print_receipt(self, receipt: receipts.Receipt) -> None:
        self._call("print_receipt", receipt.kind, lambda: self.printed.append(receipt))

    # ---- query (the reference backend's own records and form-field effects, in memory) ---------
    def _holder_persona(self) -> Persona | None:
        holder = self._holder
        return None if holder is None else next(p for p in load_personas().values()
                                                if p.id_number == holder.id_number)

    def query_records(self, token: str | None, item: dict[str, Any], fields: dict[str, Any]) -> dict[str, Any]:
        def answer() -> dict[str, Any]:
            from simulators.backend import record_query as rq
            from simulators.backend import records as rec

            kind, query = item["query"]["record_kind"], item["query"]
            today = date.today()
            whose = rq.subject(fields, None)
            persona = whose.persona if whose is not None else self._holder_persona()
            months = rq.months_needed(fields, today, query.get("period_months", 12))
            rows = [] if persona is None else rq.narrow(kind, rec.records(kind, persona, today, months), fields)
            columns = query.get("columns") or rec.default_columns(rows)
            return {"record_kind": kind, "title": rec.TITLES.get(kind, kind), "columns": columns,
                    "rows": [[r.get(c, "—") for c in columns] for r in rows], "printable": query["printable"],
                    "conditions": [{"label": lb, "value": v} for lb, v in rq.conditions(item, fields)],
                    "message": None if rows else (whose.message if whose and whose.message else "暂无相关记录。")}
        return self._call("query_records", (item["id"], dict(fields)), answer)

    def query_receipt(self, item: dict[str, Any], answer: dict[str, Any], identity: Identity | None) -> receipts.Receipt:
        return receipts.query_result(item["name"], identity.name if identity else "",
                                     identity.id_number if identity else "", answer["columns"], answer["rows"],
                                     printed_at=datetime(2026, 12, 1), kiosk_id=self.kiosk_id,
                                     conditions=[(c["label"], c["value"]) for c in answer["conditions"]])

    # ---- certify (an in-memory platform: who is a beneficiary, what is still valid) ------------
    def certification_status(self, token: str, item: dict[str, Any]) -> dict[str, Any]:
        def answer() -> dict[str, Any]:
            last = self.certifications.get((token, item["id"]))
            renew = bool(item["certify"].get("recertify_while_valid"))
            return {"item_id": item["id"], "certified": last is not None,
                    "valid_until": last and last["valid_until"], "last_certified_at": last and last["certified_at"],
                    "certification_no": last and last["certification_no"], "can_certify": last is None or renew}
        return self._call("certification_status", item["id"], answer)

    def certify(self, token: str, item: dict[str, Any]) -> dict[str, Any]:
        def answer() -> dict[str, Any]:
            if self.not_eligible:
                raise refusal("not_eligible", "系统显示您目前没有领取相关待遇，无需认证。如有疑问，请到"
                              f"{item['implementing_body']['name']}咨询。", 403)
            if (token, item["id"]) in self.certifications and not item["certify"].get("recertify_while_valid"):
                raise refusal("already_certified", "您已完成认证，有效期至 2027 年 12 月，无需重复认证。", 409)
            out = {"certification_no": f"RZ{len(self.certifications) + 1:04d}", "item_id": item["id"],
                   "kind": item["certify"]["kind"], "certified_at": "2026-12-01T10:00:00+08:00",
                   "valid_until": "2027-12-31", "message": "认证成功，有效期至 2027 年 12 月。"}
            self.certifications[(token, item["id"])] = out
            return out
        return self._call("certify", item["id"], answer)

    def certification_receipt(self, item: dict[str, Any], result: dict[str, Any], identity: Identity) -> receipts.Receipt:
        return receipts.certification_proof(item["name"], identity.name, identity.id_number,
                                            certification_no=result["certification_no"],
                                            certified_at=datetime(2026, 12, 1, 10), valid_until=date(2027, 12, 31),
                                            printed_at=datetime(2026, 12, 1, 10), kiosk_id=self.kiosk_id)

    # ---- printing a certificate: A4 where there is one, else (or when it fails) a receipt --------
    @property
    def has_a4_printer(self) -> bool:
        return self.a4 is not None

    def print_document(self, document: dict[str, Any], identity: Identity, *, a4: bool) -> PrintOutcome:
        def answer() -> PrintOutcome:
            fallback = ""
            if a4 and self.a4 == "ok":
                self.printed_a4.append(document)
                return PrintOutcome("a4")
            if a4:
                fallback = self.a4 or "docprinter.not_configured"
            receipt = self.certificate_receipt(document, identity)
            self.print_receipt(receipt)
            return PrintOutcome("receipt", receipt, fallback)
        return self._call("print_document", (document.get("certificate_no"), a4), answer)

    def request_assistance(self, screen: str, item: dict[str, Any] | None = None) -> dict[str, Any]:
        return self._call("request_assistance", screen, lambda: {
            "request_no": "XZ1", "eta_minutes": 5,
            "remote_help": {"url": "https://yueshihui.example/remote-help/XZ1?code=123456", "code": "123456",
                            "valid_minutes": 30}})

    def rate(self, item: dict[str, Any], level: int, indicators: dict[str, int] | None = None,
             comment: str | None = None, reference: str | None = None) -> None:
        self._call("rate", level, lambda: self.ratings.append(
            {"item_id": item["id"], "level": level, "indicators": indicators or {}, "reference": reference}))


class ScriptedCamera(Camera):
    """The real camera driver, never opened: `capture_face` returns a pending Command that the test
    ends with `finish()` (a live face) or `fail()` (no blink…); `show(frame)` feeds the preview and
    `guide(code)` the guidance, on the test's thread as the capture thread would."""

    def __init__(self) -> None:
        super().__init__("camera", "file:///dev/null")
        self._set_status(DeviceState.ONLINE)
        self.captures: list[tuple[Command, Any]] = []

    def capture_face(self, on_progress: Any = None, timeout: float = 60.0, settings: Any = None) -> Command:
        cmd = Command("capture_face", timeout)
        self.captures.append((cmd, on_progress))
        return cmd

    @property
    def waiting(self) -> bool:
        return bool(self.captures) and not self.captures[-1][0].done

    def show(self, frame: Any) -> None:
        self._publish(frame)

    def guide(self, code: str) -> None:
        cmd, on_progress = self.captures[-1]
        if on_progress is not None:
            on_progress(type("Progress", (), {"code": code})())

    def finish(self) -> FaceCheckResult:
        cmd, _ = self.captures[-1]
        result = FaceCheckResult(b"\xff\xd8\xff portrait", FaceAssessment(Guidance.OK), 1, 40)
        cmd._finish(Completion.SUCCESS, result, None)
        return result

    def fail(self, code: str = "camera.liveness_failed") -> None:
        cmd, _ = self.captures[-1]
        cmd._finish(Completion.USER_ERROR, None, DeviceError(Completion.USER_ERROR, "no blink", code))


class FakeDevices:
    """Real drivers, never opened (online as far as the screens can tell): UI tests push their input
    events straight into `events` / `read_errors`, and script the camera."""

    def __init__(self) -> None:
        from kiosk.devices.id_card_reader import IdCardReader
        from kiosk.devices.qr_scanner import QrScanner
        from kiosk.devices.sscard_reader import SocialSecurityCardReader

        self.devices: dict[str, Any] = {"idcard": IdCardReader("idcard", "loop://"),
                                        "sscard": SocialSecurityCardReader("sscard", "pcsc:Virtual PCD"),
                                        "scanner": QrScanner("scanner", "loop://"),
                                        "camera": ScriptedCamera()}
        for device in self.devices.values():
            device._set_status(DeviceState.ONLINE)

    def get(self, device_id: str) -> Any:
        return self.devices.get(device_id)

    def statuses(self) -> dict[str, Any]:  # DeviceManager.statuses (the technician screen reads it)
        return {device_id: d.status for device_id, d in self.devices.items()}
