"""Materials of an application: the ways the kiosk can provide each one, and what is sent. Pure.

Ways (codes, in the order the kiosk offers them):
- `elicence`   an e-licence (电子证照) of the material's `elicence_type` stands in for the paper
               (免提交) — only at trust level A or B (the platform refuses C and D for it);
- `commitment` a signed 告知承诺 (`commitment_ok`): the catalogue's `commitment_text` in full,
               then a finger signature, uploaded as PNG under the material's name;
- `missing`    容缺 (`missing_ok`): accepted now, the paper within `missing_due_days` working days;
- `capture`    a photo of the paper on the document camera (高拍仪), uploaded as JPEG; only for a
               copy or an electronic material and when the item lists the camera: an original must
               be seen at the window.
No way: the material goes to the window after the submission (`window`); a material with a
`condition` (e.g. 委托代办时提供) may be `not_needed`. A bundle (一件事) material made inside the
bundle by an earlier member item (`shared_from`) is not asked at all (`asked`): the departments
share it.

The acceptance number exists only after the submission, so the materials step keeps its choices
and captured files in the Session (`session.results["materials"]`, a list of `Provided`) and the
submit step sends them: `declarations()` into POST /applications, then each of `uploads()` to
POST /applications/{no}/materials (docs/backend-api.md, "Applications and their materials").
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

WAYS = ("elicence", "commitment", "missing", "capture")
USABLE_LEVELS = ("A", "B")  # trust levels that stand in for the paper (国办函〔2016〕108号)


def asked(item: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    """The materials the resident provides: all of the item's but those a bundle makes itself."""
    return [m for m in item.get("materials") or [] if not m.get("shared_from")]


def ways(material: Mapping[str, Any], hardware: Sequence[str] = ()) -> tuple[str, ...]:
    """How this material can be provided at this kiosk; () means only at the window (or, for a
    `shared_from` material, not by the resident at all)."""
    if material.get("shared_from"):
        return ()
    out = []
    if material.get("elicence"):
        out.append("elicence")
    if material.get("commitment_ok"):
        out.append("commitment")
    if material.get("missing_ok"):
        out.append("missing")
    if material.get("form") != "original" and "camera" in hardware:
        out.append("capture")
    return tuple(out)


def usable_licences(material: Mapping[str, Any], licences: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """The resident's e-licences of this material's type, usable ones (A/B) first."""
    kind = material.get("elicence_type")
    mine = [dict(e) for e in licences if kind and e.get("type") == kind]
    return sorted(mine, key=lambda e: e.get("trust_level") not in USABLE_LEVELS)


@dataclass(frozen=True)
class Provided:
    """How one material was provided: `by` is a way, `window` or `not_needed`."""

    name: str
    by: str
    licence_id: str | None = None
    content: bytes | None = None  # the captured JPEG or the signature PNG, until uploaded
    content_type: str | None = None
    due_days: int | None = None  # 容缺: working days to bring it
    label: str = ""  # what the resident chose, in their words (shown on the confirm page)

    def __repr__(self) -> str:  # the content is a photo of personal papers
        return f"Provided(name={self.name!r}, by={self.by!r})"


PLATFORM_BY = {"elicence": "elicence", "commitment": "commitment", "missing": "missing",
               "capture": "upload", "window": "upload"}


def declarations(provided: Iterable[Provided]) -> list[dict[str, Any]]:
    """The `materials` of POST /applications: what stands in for each material and how."""
    out = []
    for p in provided:
        if p.by not in PLATFORM_BY:
            continue  # not_needed: a conditional material whose situation does not apply
        entry: dict[str, Any] = {"name": p.name, "by": PLATFORM_BY[p.by]}
        if p.licence_id:
            entry["licence_id"] = p.licence_id
        out.append(entry)
    return out


def uploads(provided: Iterable[Provided]) -> list[tuple[str, bytes, str]]:
    """(name, content, content type) to upload once the acceptance number is known."""
    return [(p.name, p.content, p.content_type or "image/jpeg") for p in provided if p.content]
