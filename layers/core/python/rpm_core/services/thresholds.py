"""Threshold rules against readings, unit-aware: a rule compares in its own unit.

Glucose: 1 mmol/L = 18.0 mg/dL; weight: 1 lb = 0.45359237 kg; temperature: °F = °C × 9/5 + 32.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from rpm_core.models.devices import Payload
from rpm_core.models.monitoring import SEVERITY_RANK

GLUCOSE_MG_DL_PER_MMOL_L = 18.0
KG_PER_LB = 0.45359237

_TO_BASE = {  # unit → (to the base unit, from the base unit)
    "mg/dL": (lambda v: v, lambda v: v),
    "mmol/L": (lambda v: v * GLUCOSE_MG_DL_PER_MMOL_L, lambda v: v / GLUCOSE_MG_DL_PER_MMOL_L),
    "kg": (lambda v: v, lambda v: v),
    "lb": (lambda v: v * KG_PER_LB, lambda v: v / KG_PER_LB),
    "Cel": (lambda v: v, lambda v: v),
    "[degF]": (lambda v: (v - 32) * 5 / 9, lambda v: v * 9 / 5 + 32),
}


def convert(value: float, unit: str | None, to_unit: str | None) -> float:
    if unit is None or to_unit is None or unit == to_unit:
        return value
    return float(_TO_BASE[to_unit][1](_TO_BASE[unit][0](value)))


@dataclass(frozen=True)
class Breach:
    field: str
    severity: str
    bound: str
    """``min`` or ``max``."""
    limit: float
    unit: str | None


def breaches(rules: Iterable[dict[str, Any]], device_type: str, payload: Payload) -> list[Breach]:
    found = []
    for rule in rules:
        field = rule.get("field", "")
        value = getattr(payload, field, None) if rule.get("deviceType") == device_type else None
        if not isinstance(value, int | float):
            continue
        value = convert(float(value), payload.unit_of(field), rule.get("unit"))
        if rule.get("min") is not None and value < rule["min"]:
            found.append(Breach(field, rule["severity"], "min", rule["min"], rule.get("unit")))
        elif rule.get("max") is not None and value > rule["max"]:
            found.append(Breach(field, rule["severity"], "max", rule["max"], rule.get("unit")))
    return found


def severity_of(found: list[Breach]) -> str:
    return max((breach.severity for breach in found), key=SEVERITY_RANK.__getitem__)


def describe(found: list[Breach]) -> str:
    """Which rules a reading broke (the rules' limits, never the reading's values)."""
    return "; ".join(
        f"{breach.field} {'below' if breach.bound == 'min' else 'above'} {breach.limit:g}"
        + (f" {breach.unit}" if breach.unit else "")
        for breach in found
    )
