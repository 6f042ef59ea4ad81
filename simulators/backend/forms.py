"""Check submitted form values against the item's form_fields (the catalogue is the only source)."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from simulators.backend.errors import ApiError

MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
DAY = re.compile(r"^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$")
PHONE = re.compile(r"^1[3-9]\d{9}$")
ID_NUMBER = re.compile(r"^(\d{17}[\dX]|[A-Z]{3}\d{12})$")


def _invalid(label: str, message: str, detail: str, field: str) -> ApiError:
    """form_invalid naming the field (`error.field`), so the kiosk shows the sentence on its page."""
    return ApiError(422, "form_invalid", f"“{label}”{message}，请修改后重新提交。", detail, field=field)


def _check_value(spec: dict[str, Any], value: Any) -> Any:
    label, name, kind = spec["label"], spec["name"], spec["type"]
    if kind == "checkbox":
        if not isinstance(value, bool):
            raise _invalid(label, "应为勾选项", f"field {name}: expected true/false", name)
        return value
    if kind in ("number", "money"):
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise _invalid(label, "应填写数字", f"field {name}: expected a number", name)
        if "min" in spec and value < spec["min"] or "max" in spec and value > spec["max"]:
            raise _invalid(label, f"应在 {spec.get('min')} 至 {spec.get('max')} 之间",
                           f"field {name}: {value} outside [{spec.get('min')}, {spec.get('max')}]", name)
        return value
    if not isinstance(value, str):
        raise _invalid(label, "格式不正确", f"field {name}: expected a string", name)
    text = value.strip()
    if kind == "select" and text not in spec["options"]:
        raise _invalid(label, "请从选项中选择", f"field {name}: {text!r} is not one of the options", name)
    if kind == "date":
        if not (MONTH.match(text) or DAY.match(text)):
            raise _invalid(label, "日期格式应为 年-月 或 年-月-日", f"field {name}: expected YYYY-MM or YYYY-MM-DD",
                           name)
        try:
            date.fromisoformat(text if DAY.match(text) else text + "-01")
        except ValueError as exc:
            raise _invalid(label, "不是有效日期", f"field {name}: {exc}", name) from exc
    if kind == "phone" and not PHONE.match(text):
        raise _invalid(label, "应为11位手机号码", f"field {name}: expected an 11-digit mobile number", name)
    if kind == "id_number" and not ID_NUMBER.match(text.upper()):
        raise _invalid(label, "证件号码格式不正确", f"field {name}: not an 18-character ID number", name)
    if "min_length" in spec and len(text) < spec["min_length"]:
        raise _invalid(label, f"至少需要 {spec['min_length']} 个字", f"field {name}: too short", name)
    if "max_length" in spec and len(text) > spec["max_length"]:
        raise _invalid(label, f"不能超过 {spec['max_length']} 个字", f"field {name}: too long", name)
    if "pattern" in spec and not re.fullmatch(spec["pattern"], text):
        raise _invalid(label, "格式不正确", f"field {name}: does not match {spec['pattern']}", name)
    return text


def validate_form(item: dict[str, Any], values: dict[str, Any]) -> dict[str, Any]:
    """Cleaned values for the item's fields; defaults filled in; unknown names refused."""
    specs = {f["name"]: f for f in item["form_fields"]}
    unknown = sorted(set(values) - set(specs))
    if unknown:
        raise ApiError(422, "form_invalid", "提交的表单与事项不符，请返回重新填写。",
                       f"unknown field(s) for item {item['id']}: {', '.join(unknown)}")
    out: dict[str, Any] = {}
    for name, spec in specs.items():
        value = values.get(name, spec.get("default"))
        if value is None or value == "":
            if spec["required"]:
                raise _invalid(spec["label"], "为必填项", f"field {name} is required", name)
            continue
        out[name] = _check_value(spec, value)
    return out
