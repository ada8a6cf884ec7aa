"""rpm_core.data.pagination: opaque cursors bound to a scope and signed."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from typing import Any

import pytest

from rpm_core import config
from rpm_core.data import pagination
from rpm_core.data.pagination import InvalidCursor, decode_cursor, encode_cursor, query_page

KEY = {"kind": "patient", "createdAt": "2025-01-02T03:04:05.678Z", "patientId": "p-1"}


@pytest.fixture(autouse=True)
def _secret(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("CURSOR_SECRET", "unit-test-secret")
    monkeypatch.delenv("CURSOR_SECRET_ARN", raising=False)
    config.settings.cache_clear()
    pagination._secret.cache_clear()
    yield
    config.settings.cache_clear()
    pagination._secret.cache_clear()


def _use_secret(monkeypatch: pytest.MonkeyPatch, secret: str) -> None:
    monkeypatch.setenv("CURSOR_SECRET", secret)
    config.settings.cache_clear()
    pagination._secret.cache_clear()


def test_round_trip() -> None:
    cursor = encode_cursor(KEY, "patients|u1")
    assert cursor is not None
    assert decode_cursor(cursor, "patients|u1") == KEY


def test_cursor_is_url_safe_and_has_no_padding() -> None:
    cursor = encode_cursor(KEY, "s")
    assert cursor is not None
    assert set(cursor) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.")
    assert cursor.count(".") == 1


def test_no_last_key_means_no_cursor() -> None:
    assert encode_cursor(None, "s") is None
    assert encode_cursor({}, "s") is None


def test_no_cursor_means_first_page() -> None:
    assert decode_cursor(None, "s") is None
    assert decode_cursor("", "s") is None


def test_encoding_is_deterministic_whatever_the_key_order() -> None:
    reordered = dict(reversed(list(KEY.items())))
    assert encode_cursor(KEY, "s") == encode_cursor(reordered, "s")


def test_numbers_survive_as_text_or_numbers() -> None:
    from decimal import Decimal

    cursor = encode_cursor({"n": Decimal("12"), "s": "x"}, "s")
    assert cursor is not None
    decoded = decode_cursor(cursor, "s")
    assert decoded is not None
    assert decoded["s"] == "x"
    assert str(decoded["n"]) == "12"


def test_another_scope_is_rejected() -> None:
    cursor = encode_cursor(KEY, "patients|u1")
    assert cursor is not None
    for scope in ("patients|u2", "patients|u1|", "users|u1", ""):
        with pytest.raises(InvalidCursor):
            decode_cursor(cursor, scope)


def test_scope_and_payload_cannot_be_shifted_into_each_other() -> None:
    """The MAC separates scope and payload: scope ``scope`` + payload P must not verify as
    scope ``scop`` + payload ``e`` + P."""
    cursor = encode_cursor({"k": "v"}, "scope")
    assert cursor is not None
    payload, mac = cursor.split(".")
    raw = base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))
    shifted = base64.urlsafe_b64encode(b"e" + raw).rstrip(b"=").decode()
    with pytest.raises(InvalidCursor):
        decode_cursor(f"{shifted}.{mac}", "scop")


def test_a_changed_payload_is_rejected() -> None:
    cursor = encode_cursor(KEY, "s")
    assert cursor is not None
    payload, mac = cursor.split(".")
    forged_key = {**KEY, "patientId": "p-2"}
    forged_payload = (
        base64.urlsafe_b64encode(json.dumps(forged_key, sort_keys=True, separators=(",", ":")).encode())
        .rstrip(b"=")
        .decode()
    )
    for forged in (f"{forged_payload}.{mac}", ("B" if payload[0] != "B" else "C") + cursor[1:]):
        with pytest.raises(InvalidCursor):
            decode_cursor(forged, "s")


def test_a_changed_signature_is_rejected() -> None:
    cursor = encode_cursor(KEY, "s")
    assert cursor is not None
    payload, mac = cursor.split(".")
    with pytest.raises(InvalidCursor):
        decode_cursor(f"{payload}.{'A' if mac[0] != 'A' else 'B'}{mac[1:]}", "s")
    with pytest.raises(InvalidCursor):
        decode_cursor(f"{payload}.", "s")


@pytest.mark.parametrize("garbage", ["garbage", ".", "a.b", "é.é", "a.b.c", "=====.=====", "\x00.\x00"])
def test_garbage_is_a_bad_request(garbage: str) -> None:
    with pytest.raises(InvalidCursor) as raised:
        decode_cursor(garbage, "s")
    assert raised.value.detail.startswith("The cursor is not valid")


def test_a_cursor_signed_with_another_secret_is_rejected(monkeypatch: pytest.MonkeyPatch) -> None:
    cursor = encode_cursor(KEY, "s")
    assert cursor is not None
    _use_secret(monkeypatch, "another-secret")
    with pytest.raises(InvalidCursor):
        decode_cursor(cursor, "s")


def test_a_signed_payload_that_is_not_an_object_is_rejected() -> None:
    """Even with the right signature, only a key object is ever handed to storage."""
    payload = b"[1,2]"
    mac = pagination._mac(payload, "s")
    cursor = f"{pagination._b64(payload)}.{pagination._b64(mac)}"
    with pytest.raises(InvalidCursor):
        decode_cursor(cursor, "s")


class _FakeTable:
    def __init__(self, response: dict[str, Any]) -> None:
        self.response = response
        self.calls: list[dict[str, Any]] = []

    def query(self, **kwargs: Any) -> dict[str, Any]:
        self.calls.append(kwargs)
        return self.response


def test_query_page_passes_limit_and_start_key_and_signs_the_next() -> None:
    table = _FakeTable({"Items": [{"a": 1}], "LastEvaluatedKey": {"k": "next"}})
    start = encode_cursor({"k": "start"}, "scope")
    page = query_page(table, scope="scope", limit=7, cursor=start, IndexName="byKind")
    assert table.calls == [{"Limit": 7, "IndexName": "byKind", "ExclusiveStartKey": {"k": "start"}}]
    assert page.items == [{"a": 1}]
    assert page.next_cursor is not None
    assert decode_cursor(page.next_cursor, "scope") == {"k": "next"}


def test_query_page_last_page_has_no_cursor() -> None:
    table = _FakeTable({"Items": []})
    page = query_page(table, scope="scope", limit=5, cursor=None)
    assert table.calls == [{"Limit": 5}]
    assert (page.items, page.next_cursor) == ([], None)


def test_query_page_refuses_a_forged_cursor_before_querying() -> None:
    table = _FakeTable({"Items": []})
    with pytest.raises(InvalidCursor):
        query_page(table, scope="scope", limit=5, cursor="forged.cursor")
    assert table.calls == []
