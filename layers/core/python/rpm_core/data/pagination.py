"""Opaque, tamper-checked cursors for paginated queries.

A cursor is the query's ``LastEvaluatedKey`` bound to a *scope* (the caller and the list's
filters) and signed with HMAC-SHA256. A forged, altered or foreign cursor is a 400, never
another caller's page.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from boto3.dynamodb.conditions import Key

from rpm_core.config import process_cache, settings
from rpm_core.data.aws import client


class InvalidCursor(Exception):
    """A cursor that is malformed, altered, or issued for another list or caller (answered 400)."""

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


DEFAULT_LIMIT = 50
MAX_LIMIT = 100


@dataclass
class Page:
    items: list[dict[str, Any]] = field(default_factory=list)
    next_cursor: str | None = None


@process_cache
def _secret() -> bytes:
    config = settings()
    if config.cursor_secret:
        return config.cursor_secret.encode()
    if config.cursor_secret_arn:
        return str(
            client("secretsmanager").get_secret_value(SecretId=config.cursor_secret_arn)["SecretString"]
        ).encode()
    return secrets.token_bytes(32)  # one process only (tests, local stack)


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _mac(payload: bytes, scope: str) -> bytes:
    return hmac.new(_secret(), scope.encode() + b"\x00" + payload, hashlib.sha256).digest()


def _key_value(value: Any) -> Any:
    """Numeric key attributes (``Decimal``) stay numbers, so that they go back to DynamoDB as ``N``."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return str(value)


def encode_cursor(last_key: dict[str, Any] | None, scope: str) -> str | None:
    if not last_key:
        return None
    payload = json.dumps(last_key, sort_keys=True, separators=(",", ":"), default=_key_value).encode()
    return f"{_b64(payload)}.{_b64(_mac(payload, scope))}"


def decode_cursor(cursor: str | None, scope: str) -> dict[str, Any] | None:
    if not cursor:
        return None
    try:
        payload_text, mac_text = cursor.split(".", 1)
        payload, mac = _unb64(payload_text), _unb64(mac_text)
    except (ValueError, TypeError) as exc:
        raise InvalidCursor("The cursor is not valid.") from exc
    if not hmac.compare_digest(mac, _mac(payload, scope)):
        raise InvalidCursor("The cursor is not valid for this list.")
    key = json.loads(payload)
    if not isinstance(key, dict):
        raise InvalidCursor("The cursor is not valid.")
    return key


def query_page(table: Any, *, scope: str, limit: int, cursor: str | None, **query: Any) -> Page:
    """One ``Query`` call: at most ``limit`` items and the cursor of the next page."""
    start = decode_cursor(cursor, scope)
    if start is not None:
        query["ExclusiveStartKey"] = start
    response = table.query(Limit=limit, **query)
    return Page(items=response.get("Items", []), next_cursor=encode_cursor(response.get("LastEvaluatedKey"), scope))


def listed_between(condition: Any, start: str | None, end: str | None) -> Any:
    """``condition`` narrowed to ``listAt`` (``timestamp#id``) between the ISO bounds, both inclusive."""
    if start and end:
        return condition & Key("listAt").between(start, end + "~")
    if start:
        return condition & Key("listAt").gte(start)
    if end:
        return condition & Key("listAt").lte(end + "~")
    return condition
