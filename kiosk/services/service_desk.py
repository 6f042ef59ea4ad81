"""The service layer's one entry for the UI: catalogue for the home screen, documents, printing.

Every method blocks (network, printer) and is called off the GUI thread through `run_op`.
"""

from __future__ import annotations

import logging
import uuid
from datetime import datetime
from typing import TYPE_CHECKING, Any

from kiosk.devices.manager import DeviceLookup
from kiosk.devices.model import Completion, DeviceError
from kiosk.services import receipts
from kiosk.services.backend_client import BackendClient
from kiosk.services.backend_types import BackendError
from kiosk.services.catalogue_cache import CatalogueCache
from kiosk.services.session import Identity

if TYPE_CHECKING:
    from kiosk.services.outbox import Outbox

log = logging.getLogger(__name__)
HOME_TILES = 12


class ServiceDesk:
    def __init__(self, client: BackendClient, devices: DeviceLookup, outbox: Outbox | None = None) -> None:
        self.client = client
        self.devices = devices
        self.outbox = outbox
        self.catalogue = CatalogueCache(client.config.cache_db, client)  # no cache_db: in memory only
        self._backend_session: str | None = None

    def close(self) -> None:
        self.catalogue.close()

    # ---- usage statistics (never personal data) --------------------------------------------
    def record_event(self, event_type: str, item: dict[str, Any] | None = None, *,
                     outcome: str | None = None, elderly_mode: bool | None = None) -> None:
        """Queue one usage event (e.g. item.start, item.done) in the outbox; sent when online."""
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
    def home_items(self, prefer_flows: tuple[str, ...] = ()) -> list[dict[str, Any]]:
        """The home tiles: the items residents use most; those of `prefer_flows` (the ones this
        kiosk can complete by itself) first, catalogue order otherwise."""
        items = [i for i in self.catalogue.current().items if i.get("valid", True)]
        frequent = [i for i in items if i.get("elderly_frequent")] or items
        frequent.sort(key=lambda i: i.get("flow") not in prefer_flows)  # stable
        return frequent[:HOME_TILES]

    # ---- identity and documents -------------------------------------------------------------
    def open_backend_session(self, identity: Identity) -> str:
        """Identify the resident to the platform; later calls carry the session token."""
        if identity.method != "idcard":
            raise BackendError("auth_method_not_built", f"identity method {identity.method} not built yet")
        out = self.client.post_json("/identity/idcard",
                                    {"id_number": identity.id_number, "name": identity.name},
                                    idempotency_key=_key())
        self._backend_session = out["session_token"]
        return self._backend_session

    def document_for(self, item: dict[str, Any], identity: Identity) -> dict[str, Any]:
        """Issue the item's document (flow kind `print`) for this resident."""
        token = self.open_backend_session(identity)
        # No form screen yet (resident UI issues): fields take their catalogue defaults.
        fields = {f["name"]: f["default"] for f in item.get("form_fields", []) if "default" in f}
        doc = self.client.post_json("/certificates", {"item_id": item["id"], "fields": fields},
                                    headers={"X-Session-Token": token}, idempotency_key=_key())
        doc["item_name"] = item["name"]
        doc["holder_name"] = identity.name
        doc["holder_id_number"] = identity.id_number
        return doc

    def end_backend_session(self) -> None:
        """Best effort at session wipe: the platform session expires by itself anyway."""
        token, self._backend_session = self._backend_session, None
        if token is None:
            return
        try:
            self.client.request("POST", "/identity/session/end", headers={"X-Session-Token": token},
                                idempotency_key=_key())
        except BackendError as exc:
            log.info("ending the platform session failed (it will expire): %s", exc.detail)

    # ---- printing ---------------------------------------------------------------------------
    def print_document(self, document: dict[str, Any]) -> None:
        """Print a certificate and wait for the printer's answer (raises DeviceError on failure)."""
        printer = self.devices.get("printer")
        if printer is None:
            raise DeviceError(Completion.DEVICE_NOT_READY, "printer not configured", "printer.unavailable")
        lines = [(str(k), str(v)) for k, v in document.get("lines", [])
                 if k not in ("姓名", "公民身份号码", "证件号码")]
        receipt = receipts.certificate(
            document["title"], document["holder_name"], document["holder_id_number"], lines,
            issuer=document.get("seal") or "广东省社会保险基金管理局",
            verify_code=document["verification_code"], verify_url=document["qr"],
            printed_at=datetime.now(), kiosk_id=self.client.kiosk_id,
            statement=document.get("notice", ""))
        printer.print_receipt(receipt).wait()  # type: ignore[attr-defined]


def _key() -> str:
    return uuid.uuid4().hex
