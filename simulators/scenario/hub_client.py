"""The scenario runner's handle on a running hub (`kiosk-sim all`): its ports and control API."""

from __future__ import annotations

from typing import Any

from simulators.process import http_json


class StepFailed(AssertionError):
    """A step did not hold; the message says why (printed, and in the JUnit report)."""


class HubClient:
    def __init__(self, url: str) -> None:
        self.url = url.rstrip("/")
        try:
            status, self.ports = http_json("GET", self.url + "/ports", timeout=10)
        except OSError as exc:
            raise ConnectionError(f"no hub answers at {self.url}: {exc}") from exc
        if status != 200 or not isinstance(self.ports, dict) or "backend" not in self.ports:
            raise ConnectionError(f"{self.url}/ports is not a kiosk-sim hub's answer: {status} {self.ports}")

    def has(self, device: str) -> bool:
        return device in self.ports

    def call(self, method: str, path: str, body: dict[str, Any] | None = None, timeout: float = 15.0) -> Any:
        device = path.strip("/").split("/")[0]
        if device not in ("reset", "receipts", "ports", "health") and not self.has(device):
            raise StepFailed(f"the hub at {self.url} runs no {device} simulator "
                             f"(it runs {', '.join(k for k in self.ports if k != 'control')})")
        try:
            status, payload = http_json(method, self.url + path, body, timeout)
        except OSError as exc:
            raise StepFailed(f"hub {method} {path} failed: {exc}") from exc
        if status >= 400:
            error = payload.get("error") if isinstance(payload, dict) else payload
            raise StepFailed(f"hub {method} {path} answered {status}: {error}")
        return payload

    def reset(self) -> None:
        """Every simulator back to a clean state and an empty backend database (POST /reset)."""
        self.call("POST", "/reset", {})

    def newest_receipt_index(self) -> int:
        receipts = self.call("GET", "/receipts")["receipts"] if self.has("printer") else []
        return max((r["index"] for r in receipts), default=0)

    def newest_document_index(self) -> int:
        """The A4 printer's newest captured document (0 without an A4 printer or a document)."""
        docs = self.call("GET", "/docprinter/documents")["documents"] if self.has("docprinter") else []
        return max((d["index"] for d in docs), default=0)
