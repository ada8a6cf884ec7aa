"""Numbers in and out of DynamoDB: boto3 stores ``Decimal`` only, the API speaks JSON numbers."""

from __future__ import annotations

from decimal import Decimal
from typing import Any


def to_item(value: Any) -> Any:
    """Floats as ``Decimal`` (through their shortest text, so 98.6 stays 98.6), recursively."""
    if isinstance(value, bool):
        return value
    if isinstance(value, float):
        return Decimal(repr(value))
    if isinstance(value, dict):
        return {key: to_item(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [to_item(item) for item in value]
    return value


def from_item(value: Any) -> Any:
    """``Decimal`` back to ``int`` when whole, else ``float``; sets as sorted lists, recursively."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, dict):
        return {key: from_item(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [from_item(item) for item in value]
    if isinstance(value, set | frozenset):
        return sorted(from_item(item) for item in value)
    return value
