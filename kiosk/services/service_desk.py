"""The service layer's one entry for the UI: catalogue, identity, documents, query, certify, printing,
help, ratings.

Every method blocks (network, printer) and is called off the GUI thread through the flow runner's
`run` (run_op). Nothing here keeps a resident's data: the platform session token and the identity
live in the Session and are passed in by the caller, so `Session.wipe()` is the only forgetting.
Sections by area, so each flow kind adds its calls in its own place.
"""

from __future__ import annotations

import base64
import logging
import uuid
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from kiosk.devices.manager import DeviceLookup
from kiosk.devices.model import Completion, DeviceError
from kiosk.services import receipts
from kiosk.services.backend_client import BackendClient
from kiosk.services.backend_types import BackendError
from kiosk.services.catalogue_cache import CatalogueCache
from kiosk.services.session import Identity, Proxy
from kiosk.services.sqlite_files import StorageEvent, moved_aside

if TYPE_CHECKING:
    from kiosk.services.outbox import Outbox, OutboxHealth

log = logging.getLogger(__name__)
HOLDER_KEYS = ("holder_name", "holder_id_number")  # printed from the identity, not from the lines


@dataclass(frozen=True)
class PlatformSession:
    """What the platform answered to an identity: the token for later calls, its profile (age,
    document type, masked numbers, whether the person has a 社保卡) and the identity it accepted."""

    token: str
    profile: dict[str, Any]
    methods: tuple[str, ...]
    identity: Identity | None = None

    def __repr__(self) -> str:  # the profile holds the name
        return f"PlatformSession(methods={self.methods!r})"


@dataclass(frozen=True)
class PrintOutcome:
    """How a certificate was printed: `a4` or `receipt` (that receipt, for 再打印一次), and when the
    A4 printer failed or was missing, its message code (`fallback`)."""

    printer: str
    receipt: receipts.Receipt | None = None
    fallback: str = ""


@dataclass(frozen=True)
class StorageReport:
    """For the technician view: what happened to the kiosk's files (no personal data)."""

    outbox: OutboxHealth | None  # None: no outbox configured
    catalogue_events: list[StorageEvent]  # this run: moved aside, kept in memory
    catalogue_moved_aside: list[str]  # damaged cache files kept beside it

    @property
    def needs_attention(self) -> bool:
        ob = self.outbox
        return bool(self.catalogue_events or (ob is not None and (not ob.available or ob.quarantined or ob.events)))


@dataclass(frozen=True)
class FaceCheck:
    """The platform's answer to one face check: matched or not, and how many tries are left."""

    matched: bool
    attempts_left: int
    simulation: bool  # the reference platform says its match is a simulation, not biometrics


def _platform_session(out: dict[str, Any], identity: Identity) -> PlatformSession:
    return PlatformSession(out["session_token"], dict(out.get("profile") or {}), tuple(out.get("methods") or ()),
                           identity)


def home_rank_key(item: dict[str, Any]) -> tuple[int, int]:
    rank = item.get("home_rank")
    return (0, int(rank)) if isinstance(rank, int) else (1, 0)


class ServiceDesk:
    def __init__(self, client: BackendClient, devices: DeviceLookup, outbox: Outbox | None = None) -> None:
        self.client = client
        self.devices = devices
        self.outbox = outbox
        self.catalogue = CatalogueCache(client.config.cache_db, client)  # no cache_db: in memory only

    def close(self) -> None:
        self.catalogue.close()

    @property
    def kiosk_id(self) -> str:
        return self.client.kiosk_id

    # ---- usage statistics (never personal data) --------------------------------------------
    def record_event(self, event_type: str, item: dict[str, Any] | None = None, *,
                     outcome: str | None = None, elderly_mode: bool | None = None) -> None:
        """Queue one usage event (e.g. item.start, item.end) in the outbox; sent when online."""
        if self.outbox is None:
            return
        event: dict[str, Any] = {"type": event_type, "at": datetime.now().astimezone().isoformat()}
        if item is not None:
            event.update(item_id=item["id"], flow=item.get("flow"))
        if outcome is not None:
            event["outcome"] = outcome
        if elderly_mode is not None:
            event["elderly_mode"] = elderly_mode
        self.outbox.open()  # idempotent; the first event may come before start-up opened it
        self.outbox.enqueue("usage_event", "/kiosk/events", {"events": [event]})

    # ---- technician: storage health ---------------------------------------------------------
    def storage_report(self) -> StorageReport:
        """The outbox's stats, quarantined entries and storage events, and what happened to the
        catalogue cache; Qt-free, for the technician view (kiosk-diag outbox shows the same)."""
        cache = self.catalogue.path
        return StorageReport(None if self.outbox is None else self.outbox.health(), list(self.catalogue.events),
                             [str(p) for p in moved_aside(cache)] if cache is not None else [])

    # ---- connectivity -----------------------------------------------------------------------
    @property
    def offline(self) -> bool:
        return self.client.connectivity.is_offline

    def check_online(self) -> bool:
        """Blocking: while the platform is known to be down, ask it once more (GET /time)."""
        if not self.offline:
            return True
        try:
            self.client.sync_clock()
        except BackendError as exc:
            log.info("platform still unreachable: %s", exc.code)
            return False
        return True

    # ---- catalogue --------------------------------------------------------------------------
    def catalogue_items(self) -> list[dict[str, Any]]:
        """Every valid item, from the platform or the offline cache."""
        return [i for i in self.catalogue.current().items if i.get("valid", True)]

    def home_items(self) -> list[dict[str, Any]]:
        """Every valid item in home-screen order: `home_rank` first (ascending), then catalogue order."""
        return sorted(self.catalogue_items(), key=home_rank_key)

    # ---- identity ---------------------------------------------------------------------------
    def open_session(self, identity: Identity) -> PlatformSession:
        """Identify the resident to the platform with a card read here (ID card, 社保卡); later calls
        carry the returned token. The platform refuses with its own codes (id_card_expired,
        sscard_expired, identity_mismatch, person_not_found, …)."""
        body: dict[str, Any] = {"id_number": identity.id_number, "name": identity.name}
        if identity.method == "idcard":
            path = "/identity/idcard"
        elif identity.method == "sscard":
            path, body["card_number"] = "/identity/sscard", identity.extras["card_number"]
        else:
            raise BackendError("auth_method_not_built", f"identity method {identity.method} has no card to send")
        return _platform_session(self.client.post_json(path, body, idempotency_key=_key()), identity)

    def open_eid_session(self, token: str) -> PlatformSession:
        """The scanned e-ID (粤省事码) token → POST /identity/eid. The platform says who it vouches for:
        the session's `identity`. A stale or unknown code is refused with `eid_invalid`."""
        out = self.client.post_json("/identity/eid", {"token": token}, idempotency_key=_key())
        profile = dict(out.get("profile") or {})
        identity = Identity(method="eid_qr", name=str(profile.get("name", "")),
                            id_number=str(out.get("id_number") or profile.get("id_number_masked", "")),
                            birth_date=str(profile.get("birth_date", "")))
        return _platform_session(out, identity)

    def check_face(self, token: str, jpeg: bytes) -> FaceCheck:
        """POST /identity/face: one live portrait against the platform's enrolled photo of the session
        holder. The reference platform's match is a simulation (docs/backend-api.md). Refused with
        `face_attempts_exceeded` after three misses in one session."""
        resp = self.client.request("POST", "/identity/face", data=jpeg, idempotency_key=_key(),
                                   headers={"Content-Type": "image/jpeg", "X-Session-Token": token})
        out = resp.json()
        return FaceCheck(bool(out["matched"]), int(out["attempts_left"]), bool(out.get("simulation", False)))

    def add_proxy(self, token: str, item: dict[str, Any], proxy: Proxy) -> None:
        """代办: the agent's ID card joins the principal's platform session (POST /identity/proxy); the
        platform records them on everything this session does. `proxy_not_allowed` for items
        without proxy_ok, `face_required` before the principal's face check."""
        self.client.post_json("/identity/proxy", {"item_id": item["id"], "name": proxy.name,
                                                  "id_number": proxy.id_number, "relation": proxy.relation},
                              headers={"X-Session-Token": token}, idempotency_key=_key())

    def end_platform_session(self, token: str) -> None:
        """Best effort at session wipe: the platform session expires by itself anyway."""
        try:
            self.client.request("POST", "/identity/session/end", headers={"X-Session-Token": token},
                                idempotency_key=_key())
        except BackendError as exc:
            log.info("ending the platform session failed (it will expire): %s", exc.detail)

    # ---- documents (print) ------------------------------------------------------------------
    def issue_certificate(self, token: str, item: dict[str, Any], fields: dict[str, Any]) -> dict[str, Any]:
        """POST /certificates for the session holder: lines carry keys (holder_name, …) beside labels.
        For a printable query item the same call gives its answer as a verifiable 查询结果 printout."""
        return self.client.post_json("/certificates", {"item_id": item["id"], "fields": fields},
                                     headers={"X-Session-Token": token}, idempotency_key=_key())

    def certificate_receipt(self, document: dict[str, Any], identity: Identity) -> receipts.Receipt:
        lines = [(line["label"], line["value"]) for line in document.get("lines", [])
                 if line.get("key") not in HOLDER_KEYS]
        return receipts.certificate(
            document["title"], identity.name, identity.id_number, lines,
            issuer=document.get("seal") or "", verify_code=document["verification_code"],
            verify_url=document["qr"], printed_at=datetime.now(), kiosk_id=self.kiosk_id,
            statement=document.get("notice", ""), proxy=identity.proxy)

    # ---- query ------------------------------------------------------------------------------
    def query_records(self, token: str | None, item: dict[str, Any], fields: dict[str, Any]) -> dict[str, Any]:
        """GET /records/{kind} as the item asks, its form fields as query parameters (each changes
        the answer). Items without identity check (水电气) send no token."""
        params: dict[str, Any] = {"item_id": item["id"], **fields}
        headers = {"X-Session-Token": token} if token else None
        return self.client.get_json(f"/records/{item['query']['record_kind']}", params=params, headers=headers)

    def query_receipt(self, item: dict[str, Any], answer: dict[str, Any], identity: Identity | None) -> receipts.Receipt:
        conditions = [(c["label"], c["value"]) for c in answer.get("conditions", [])]
        return receipts.query_result(
            item["name"], identity.name if identity else "", identity.id_number if identity else "",
            answer["columns"], answer["rows"], printed_at=datetime.now(), kiosk_id=self.kiosk_id,
            conditions=conditions, message=answer.get("message") or "", proxy=identity.proxy if identity else None)

    # ---- certify ----------------------------------------------------------------------------
    def certification_status(self, token: str, item: dict[str, Any]) -> dict[str, Any]:
        """GET /certifications: is the holder's certification still valid, may they certify now."""
        return self.client.get_json("/certifications", params={"item_id": item["id"]},
                                    headers={"X-Session-Token": token})

    def certify(self, token: str, item: dict[str, Any]) -> dict[str, Any]:
        """POST /certifications (identity and face already checked in this platform session)."""
        return self.client.post_json("/certifications", {"item_id": item["id"]},
                                     headers={"X-Session-Token": token}, idempotency_key=_key())

    def certification_receipt(self, item: dict[str, Any], result: dict[str, Any],
                              identity: Identity) -> receipts.Receipt:
        return receipts.certification_proof(
            item["name"], identity.name, identity.id_number, certification_no=result["certification_no"],
            certified_at=datetime.fromisoformat(result["certified_at"]).astimezone(),  # the kiosk's clock, as printed_at
            valid_until=date.fromisoformat(result["valid_until"][:10]),
            printed_at=datetime.now(), kiosk_id=self.kiosk_id,
            consequence=(item.get("certify") or {}).get("consequence", ""), proxy=identity.proxy)
    # ---- applications: form pre-fill and materials (apply, bundle) ---------------------------
    def form_prefill(self, token: str) -> list[dict[str, Any]]:
        """GET /applications/prefill: [{key, value, source}] the platform knows of the holder
        (kiosk/services/form_prefill.py maps them onto the item's fields)."""
        out = self.client.get_json("/applications/prefill", headers={"X-Session-Token": token})
        return [v for v in (out.get("values") if isinstance(out, dict) else None) or [] if isinstance(v, dict)]

    def elicences(self, token: str) -> list[dict[str, Any]]:
        """GET /elicences: the holder's e-licences with trust level (A/B stand in for the paper)."""
        out = self.client.get_json("/elicences", headers={"X-Session-Token": token})
        return [e for e in out if isinstance(e, dict)] if isinstance(out, list) else []

    def upload_material(self, token: str, acceptance_no: str, name: str, content: bytes,
                        content_type: str) -> dict[str, Any]:
        """POST /applications/{no}/materials?name=: one captured material (JPEG photo of the paper,
        PNG 告知承诺 signature) after the submission gave the acceptance number (the submit step)."""
        resp = self.client.request("POST", f"/applications/{acceptance_no}/materials", params={"name": name},
                                   data=content, headers={"X-Session-Token": token, "Content-Type": content_type},
                                   idempotency_key=_key())
        return self.client._json(resp, "POST", "/applications/{no}/materials")

    # ---- submitting applications (issue 20) ----------------------------------------------------
    # The application and its materials are ONE request (materials inline, base64) through the
    # outbox, under the caller's Idempotency-Key (kept in the Session: a retry reuses it). An
    # offline_queue item also carries the kiosk's identity assertion, so the entry can still be
    # sent after the 15-minute session token expired; while the platform is down it stays queued
    # and the resident gets a 已暂存 receipt with its local reference. An online item is never left
    # queued: it is withdrawn and the resident is told that nothing was sent.
    def submit_application(self, item: dict[str, Any], form: dict[str, Any], provided: list[Any], *,
                           token: str | None, identity: Identity | None, key: str,
                           proxy: Proxy | None = None, wait_s: float = 15.0) -> dict[str, Any]:
        """{"state": "accepted", "application": {...}} or {"state": "queued", "local_ref": "ZC…"}."""
        from kiosk.services import materials as mat
        from kiosk.services.outbox import is_permanent

        if self.outbox is None:
            raise BackendError("config", "no outbox: applications cannot be submitted on this kiosk")
        body = application_body(item, form, mat.declarations(provided), mat.uploads(provided), key=key,
                                identity=identity, proxy=proxy)
        self.outbox.open()
        delivery = self.outbox.send_or_queue("submission", "/applications", body, _session(token),
                                             wait_s=wait_s, key=key)
        if delivery.ack is not None:
            return {"state": "accepted", "application": delivery.ack.body}
        error = delivery.error or BackendError("offline", "the platform did not answer")
        if queueable(item, identity) and not (delivery.error and is_permanent(delivery.error)):
            return {"state": "queued", "local_ref": body["local_ref"]}
        self.outbox.withdraw(delivery.entry.id)  # refused, or an online-only item: not sent later either
        raise error

    def progress_link(self, reference: str, id_number: str) -> str:
        """What a 已暂存 receipt's QR carries: the progress flow reads it like the platform's progress_qr."""
        parts = urlsplit(self.client.base)
        return f"{parts.scheme}://{parts.netloc}/progress?acceptance_no={reference}&id_last4={id_number[-4:]}"

    def application_receipt(self, item: dict[str, Any], outcome: dict[str, Any], identity: Identity,
                            proxy: Proxy | None = None) -> receipts.Receipt:
        """受理凭证 (or, queued, 暂存凭证) with the QR the progress flow reads."""
        now = datetime.now()
        department = (item.get("implementing_body") or {}).get("name", "")
        if outcome["state"] == "queued":
            return receipts.queued_receipt(item["name"], outcome["local_ref"], identity.name, identity.id_number,
                                           progress_url=self.progress_link(outcome["local_ref"], identity.id_number),
                                           queued_at=now, kiosk_id=self.kiosk_id, proxy=proxy)
        app = outcome["application"]
        return receipts.acceptance_receipt(
            item["name"], app["acceptance_no"], identity.name, identity.id_number, received_materials(app, item),
            promised_days=int(item.get("promised_limit_days") or 0), department=department,
            progress_url=app["progress_qr"], accepted_at=now, kiosk_id=self.kiosk_id,
            missing_due=[(d["name"], d["due_date"]) for d in app.get("missing_due") or []],
            pending=list(app.get("pending_materials") or []), proxy=proxy, promised_date=app.get("promised_date") or "",
            members=[(m["item_name"], m["acceptance_no"], m["promised_date"]) for m in app.get("members") or []])

    # ---- pay, appointment, queue, progress (resident UI 4) ------------------------------------
    # Writes take the caller's idempotency key: the step keeps it in the Session, so a retry after a
    # lost answer (or the error screen's 重试) sends the same key and the platform answers with the
    # same order, booking or ticket instead of a second one.
    def payment_dues(self, token: str | None, item: dict[str, Any], *, payer: str = "self",
                     payee_id_number: str | None = None, account: str | None = None) -> dict[str, Any]:
        """GET /payments/dues: tiers, bills or the assessed amount; a paid one says by which order."""
        params: dict[str, Any] = {"item_id": item["id"], "payer": payer}
        if payee_id_number:
            params["payee_id_number"] = payee_id_number
        if account:
            params["account"] = account
        return self.client.get_json("/payments/dues", params=params, headers=_session(token))

    def create_order(self, token: str | None, item: dict[str, Any], choice: dict[str, Any], method: str, *,
                     key: str) -> dict[str, Any]:
        """POST /payments/orders for the chosen due (`choice`: due_id, payer, payee_id_number, account)."""
        body: dict[str, Any] = {"item_id": item["id"], "method": method, "payer": choice.get("payer", "self")}
        for name in ("due_id", "payee_id_number", "account", "amount_fen"):
            if choice.get(name):
                body[name] = choice[name]
        return self.client.post_json("/payments/orders", body, headers=_session(token), idempotency_key=key)

    def lookup_order(self, order_no: str, check_code: str) -> dict[str, Any]:
        """GET /payments/lookup: the order by number + check code, without a session (the kiosk polls
        it while the QR shows, so a platform session that expired meanwhile does not matter)."""
        return self.client.get_json("/payments/lookup", params={"order_no": order_no, "check": check_code})

    def payment_receipt(self, order: dict[str, Any], proxy: Proxy | None = None) -> receipts.Receipt:
        """The 缴费凭证 of a paid order, from the platform's receipt (names and numbers come masked);
        in a 代办 the agent is named too."""
        paid = order["receipt"]
        return receipts.payment_receipt(
            paid["item_name"], order["order_no"], paid["payer_name_masked"], paid.get("payer_id_masked") or "",
            paid["amount_fen"], order["method"], transaction_no=paid["transaction_no"],
            paid_at=_local(paid["paid_at"]), kiosk_id=self.kiosk_id, period=paid["label"],
            title=paid["title"], payee_org=paid["payee"], account=paid.get("account") or "",
            account_label=paid.get("account_label") or "", proxy=proxy)

    def order_slip(self, order: dict[str, Any], item: dict[str, Any]) -> receipts.Receipt:
        """The slip for an order the kiosk stopped waiting for: number, check code, its QR."""
        return receipts.payment_order_slip(
            item["name"], order["order_no"], order["check_code"], order["amount_fen"], label=order["label"],
            valid_until=_local(order["expires_at"]), lookup_qr=order["lookup_qr"],
            printed_at=datetime.now(), kiosk_id=self.kiosk_id)

    def appointment_slots(self, item: dict[str, Any]) -> dict[str, Any]:
        return self.client.get_json("/appointments/slots", params={"item_id": item["id"]})

    def book(self, token: str, item: dict[str, Any], slot_id: str, form: dict[str, Any], *,
             service: str | None, key: str) -> dict[str, Any]:
        body: dict[str, Any] = {"item_id": item["id"], "slot_id": slot_id, "form": form}
        if service:
            body["service"] = service
        return self.client.post_json("/appointments", body, headers=_session(token), idempotency_key=key)

    def booking_receipt(self, booking: dict[str, Any], item: dict[str, Any]) -> receipts.Receipt:
        return receipts.booking_slip(
            item["name"], booking["booking_no"], day=date.fromisoformat(booking["date"]), start=booking["start"],
            end=booking["end"], place=booking["place"], address=booking["address"], bring=booking["bring"],
            booked_at=datetime.now(), service=booking.get("service") or "", sms_to=booking.get("sms_to") or "",
            kiosk_id=self.kiosk_id)

    def take_ticket(self, token: str, item: dict[str, Any], form: dict[str, Any], *, key: str) -> dict[str, Any]:
        return self.client.post_json("/queue/tickets", {"item_id": item["id"], "form": form},
                                     headers=_session(token), idempotency_key=key)

    def ticket_receipt(self, ticket: dict[str, Any], item: dict[str, Any]) -> receipts.Receipt:
        return receipts.queue_ticket(
            ticket["ticket_no"], item["name"], ticket["hall"], waiting=ticket["waiting_ahead"],
            taken_at=_local(ticket["issued_at"]), kiosk_id=self.kiosk_id,
            windows=ticket["windows"], business=ticket.get("business") or "",
            note=ticket.get("message") or "")

    def applications(self, token: str) -> list[dict[str, Any]]:
        """The identified resident's applications, newest first."""
        return self.client.get_json("/applications", headers=_session(token))

    def lookup_application(self, acceptance_no: str, id_last4: str) -> dict[str, Any]:
        """Progress without a session: acceptance number + the ID number's last 4 characters."""
        return self.client.get_json("/applications/lookup",
                                    params={"acceptance_no": acceptance_no, "id_last4": id_last4})

    # ---- printing ---------------------------------------------------------------------------
    def print_receipt(self, receipt: receipts.Receipt) -> None:
        """Print and wait for the printer's answer (raises DeviceError with a code on failure).

        A job that fails (paper ran out in the middle) is discarded here, never printed later by
        itself: the resident is asked and the receipt is printed again in full, never half."""
        printer = self.devices.get("printer")
        if printer is None:
            raise DeviceError(Completion.DEVICE_NOT_READY, "printer not configured", "printer.unavailable")
        try:
            printer.print_receipt(receipt).wait()  # type: ignore[attr-defined]
        except DeviceError as exc:
            job = getattr(exc, "job", None)
            if job is not None:
                printer.discard(job)  # type: ignore[attr-defined]
            raise

    @property
    def has_a4_printer(self) -> bool:
        """An A4 printer is configured (whether it works now is learnt by printing)."""
        return self.devices.get("docprinter") is not None

    def print_document(self, document: dict[str, Any], identity: Identity, *, a4: bool) -> PrintOutcome:
        """Print a certificate: on the A4 printer when asked and there is one, else (or when it
        fails) as a receipt. A failed A4 job is dropped, never printed later by itself (the resident
        has the receipt by then); the outcome says that it fell back, with the A4 printer's code."""
        fallback = ""
        printer = self.devices.get("docprinter") if a4 else None
        if a4 and printer is None:
            fallback = "docprinter.not_configured"
        elif printer is not None:
            from kiosk.services import a4_documents  # fpdf2 and the CJK font load only when an A4 page prints

            try:
                a4_documents.print_a4_certificate(printer, document, kiosk_id=self.kiosk_id,
                                                  printed_at=datetime.now(), identity=identity)
                return PrintOutcome("a4")
            except (DeviceError, a4_documents.FontMissing) as exc:
                fallback = getattr(exc, "code", "") or "docprinter.job_failed"
                log.warning("A4 printing failed (%s): printing a receipt instead", fallback)
                job = getattr(exc, "job", None)
                if job is not None:
                    printer.discard(job)  # type: ignore[attr-defined]
        receipt = self.certificate_receipt(document, identity)
        self.print_receipt(receipt)
        return PrintOutcome("receipt", receipt, fallback)

    # ---- help and ratings -------------------------------------------------------------------
    def request_assistance(self, screen: str, item: dict[str, Any] | None = None) -> dict[str, Any]:
        """机器+人: call staff to the kiosk, saying where the resident is (never who)."""
        body: dict[str, Any] = {"reason": "operation_help", "screen": screen[:64]}
        if item is not None:
            body["item_id"] = item["id"]
        return self.client.post_json("/assistance", body, idempotency_key=_key())

    def rate(self, item: dict[str, Any], level: int, indicators: dict[str, int] | None = None,
             comment: str | None = None, reference: str | None = None) -> None:
        """好差评 through the outbox: written now, sent when the platform answers; never blocks."""
        body: dict[str, Any] = {"item_id": item["id"], "level": int(level), "indicators": indicators or {}}
        if comment:
            body["comment"] = comment[:300]
        if reference:
            body["acceptance_no"] = reference[:32]
        if self.outbox is None:
            self.client.post_json("/ratings", body, idempotency_key=_key())
            return
        self.outbox.open()
        self.outbox.enqueue("rating", "/ratings", body)


ASSERTED_METHODS = ("idcard", "sscard")  # a card's chip is trusted offline; a face match is not


def can_queue(item: dict[str, Any]) -> bool:
    """Can this item be done while the platform is down? offline_queue, identified by a card (its chip
    is trusted offline); a face match needs the platform. Anything else says so before it starts."""
    methods = item.get("auth_methods") or []
    return (item.get("network_policy") == "offline_queue" and "face" not in methods
            and any(m in ASSERTED_METHODS for m in methods))


def queueable(item: dict[str, Any], identity: Identity | None) -> bool:
    """May this application wait in the outbox for the platform? An item that can be queued, whose
    resident was identified by a card here."""
    return can_queue(item) and identity is not None and identity.method in ASSERTED_METHODS


def application_body(item: dict[str, Any], form: dict[str, Any], declared: list[dict[str, Any]],
                     files: list[tuple[str, bytes, str]], *, key: str, identity: Identity | None,
                     proxy: Proxy | None = None) -> dict[str, Any]:
    """POST /applications: the form, each material's declaration with its file inline, the local
    reference, and (offline_queue items) the identity assertion."""
    inline = {name: (content, kind) for name, content, kind in files}
    materials = []
    for d in declared:
        if d["name"] in inline:
            content, kind = inline[d["name"]]
            d = {**d, "content_b64": base64.b64encode(content).decode(), "content_type": kind}
        materials.append(d)
    body: dict[str, Any] = {"item_id": item["id"], "form": dict(form), "materials": materials,
                            "local_ref": "ZC" + key[:12].upper()}
    if proxy is not None:
        body["proxy"] = {"name": proxy.name, "id_number": proxy.id_number, "relation": proxy.relation}
    if queueable(item, identity):
        assert identity is not None
        body["identity"] = {"method": identity.method, "id_number": identity.id_number,
                            "checked_at": datetime.now().astimezone().isoformat(timespec="seconds")}
    return body


def received_materials(app: dict[str, Any], item: dict[str, Any]) -> list[str]:
    """What the platform has from the resident: every material of the item not pending and not 容缺
    (a bundle's `shared_from` materials come from the departments, not from the resident)."""
    held = set(app.get("pending_materials") or []) | set(app.get("missing_later") or [])
    plan = app.get("materials") if isinstance(app.get("materials"), dict) else None
    names = [m["name"] for m in item.get("materials") or [] if m["name"] not in held and not m.get("shared_from")]
    return [n for n in names if plan is None or any(n in v for v in plan.values())]


def _key() -> str:
    return uuid.uuid4().hex


def new_key() -> str:
    """A fresh idempotency key for a write the caller may have to repeat (keep it until it succeeded)."""
    return _key()


def _local(stamp: str) -> datetime:
    """A platform time (ISO 8601, Beijing) in the kiosk's own time zone, as its clock shows."""
    return datetime.fromisoformat(stamp).astimezone()


def _session(token: str | None) -> dict[str, str]:
    return {"X-Session-Token": token} if token else {}
