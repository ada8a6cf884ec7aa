"""Small helpers shared by the repositories."""

from __future__ import annotations

from typing import Any

from rpm_core.data.aws import dynamodb_client

TRANSACTION_LIMIT = 100
"""DynamoDB's most actions in one TransactWriteItems."""


def without_none(item: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in item.items() if value is not None}


def update_expression(changes: dict[str, Any]) -> dict[str, Any]:
    """``SET`` for values, ``REMOVE`` for ``None``: keyword arguments for ``update_item``."""
    sets = [f"#{i} = :{i}" for i, (_, value) in enumerate(changes.items()) if value is not None]
    removes = [f"#{i}" for i, (_, value) in enumerate(changes.items()) if value is None]
    expression = " ".join(
        part
        for part in (
            "SET " + ", ".join(sets) if sets else "",
            "REMOVE " + ", ".join(removes) if removes else "",
        )
        if part
    )
    arguments: dict[str, Any] = {
        "UpdateExpression": expression,
        "ExpressionAttributeNames": {f"#{i}": name for i, name in enumerate(changes)},
    }
    values = {f":{i}": value for i, (_, value) in enumerate(changes.items()) if value is not None}
    if values:
        arguments["ExpressionAttributeValues"] = values
    return arguments


def error_code(error: Exception) -> str | None:
    code = getattr(error, "response", {}).get("Error", {}).get("Code")
    return str(code) if code else None


def is_conditional_failure(error: Exception) -> bool:
    return error_code(error) in {"ConditionalCheckFailedException", "TransactionCanceledException"}


def cancellation_codes(error: Exception) -> list[str]:
    """Per-item reasons of a cancelled transaction, in the order of its items."""
    reasons = getattr(error, "response", {}).get("CancellationReasons", [])
    return [str(reason.get("Code", "None")) for reason in reasons]


_MAX_ATTEMPTS = 3


def batch_get(request: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """``BatchGetItem`` with a bounded retry of unprocessed keys; items by table name."""
    found: dict[str, list[dict[str, Any]]] = {name: [] for name in request}
    for _ in range(_MAX_ATTEMPTS):
        response = dynamodb_client().batch_get_item(RequestItems=request)
        for name, items in response.get("Responses", {}).items():
            found[name].extend(items)
        request = response.get("UnprocessedKeys") or {}
        if not request:
            return found
    raise RuntimeError("BatchGetItem left keys unprocessed after retries")


def transact_in_chunks(actions: list[dict[str, Any]]) -> int:
    """Idempotent writes (deterministic keys, no conditions) in transactions of at most 100; returns the calls made."""
    calls = 0
    for start in range(0, len(actions), TRANSACTION_LIMIT):
        dynamodb_client().transact_write_items(TransactItems=actions[start : start + TRANSACTION_LIMIT])
        calls += 1
    return calls
