"""DynamoDB transactions in moto, made to behave like DynamoDB's under concurrency and table size.

moto's ``TransactWriteItems`` deep-copies every table it names before it writes, and on a failed
condition puts those copies back. With a large table (the audit log) every transaction then costs
a copy of the whole table, and a write another thread made meanwhile (a request's audit entry while
the audit writer's transaction runs) is silently undone by the restore, stream records included.

DynamoDB checks every condition before it writes anything. This replacement does the same: under
one lock it evaluates all conditions first (cancelling with per-item reasons, as before, without
having written), and only then applies the writes. No copies, nothing to restore. Single-item
writes take the same lock, so that a conditional put is atomic with its check, as in DynamoDB (moto's
threaded server could otherwise let two writers both pass ``attribute_not_exists``).
"""

from __future__ import annotations

import threading
from typing import Any

from moto.dynamodb.comparisons import get_filter_expression
from moto.dynamodb.exceptions import (
    MultipleTransactionsException,
    TooManyTransactionsException,
    TransactionCanceledException,
    TransactWriteSingleOpException,
)
from moto.dynamodb.models import DynamoDBBackend

_lock = threading.RLock()
_installed: list[bool] = []


def _key(backend: DynamoDBBackend, op_type: str, op: dict[str, Any]) -> dict[str, Any]:
    if op_type != "Put":
        return dict(op["Key"])
    attrs, table = op["Item"], backend.get_table(op["TableName"])
    key = {table.hash_key_attr: attrs[table.hash_key_attr]}
    if table.range_key_attr is not None:
        key[table.range_key_attr] = attrs[table.range_key_attr]
    return key


def transact_write_items(self: DynamoDBBackend, transact_items: list[dict[str, Any]]) -> None:
    if len(transact_items) > 100:
        raise TooManyTransactionsException()
    with _lock:
        seen: set[tuple[str, str]] = set()
        errors: list[tuple[Any, Any, Any]] = []
        operations = []
        for item in transact_items:
            if len(item) > 1:
                raise TransactWriteSingleOpException
            op_type, op = next(iter(item.items()))
            if op_type not in {"ConditionCheck", "Put", "Delete", "Update"}:
                raise ValueError("Unsupported transaction operation")
            key = _key(self, op_type, op)
            identity = (str(op["TableName"]), str(dict(sorted(key.items()))))
            if identity in seen:
                raise MultipleTransactionsException()
            seen.add(identity)
            operations.append((op_type, op, key))
            condition = op.get("ConditionExpression")
            if condition is None:
                errors.append((None, None, None))
                continue
            current = self.get_item(op["TableName"], key)
            check = get_filter_expression(
                condition, op.get("ExpressionAttributeNames"), op.get("ExpressionAttributeValues")
            )
            if check.expr(current):
                errors.append((None, None, None))
            else:
                old = current.to_json()["Attributes"] if current is not None else None
                wanted = op.get("ReturnValuesOnConditionCheckFailure") == "ALL_OLD"
                errors.append(("ConditionalCheckFailed", "The conditional request failed", old if wanted else None))
        if any(code is not None for code, _, _ in errors):
            raise TransactionCanceledException(errors)
        for op_type, op, key in operations:
            names, values = op.get("ExpressionAttributeNames"), op.get("ExpressionAttributeValues")
            if op_type == "Put":
                self.put_item(op["TableName"], op["Item"], expression_attribute_names=names,
                              expression_attribute_values=values)  # fmt: skip
            elif op_type == "Delete":
                self.delete_item(op["TableName"], key, expression_attribute_names=names,
                                 expression_attribute_values=values)  # fmt: skip
            elif op_type == "Update":
                self.update_item(op["TableName"], key, update_expression=op["UpdateExpression"],
                                 expression_attribute_names=names, expression_attribute_values=values)  # fmt: skip


def _atomic(method: Any) -> Any:
    def locked(self: DynamoDBBackend, *args: Any, **kwargs: Any) -> Any:
        with _lock:
            return method(self, *args, **kwargs)

    return locked


def install() -> None:
    """Replaces moto's implementation in this process (the local stack runs moto's server in-process)."""
    if _installed:
        return
    for name in ("put_item", "update_item", "delete_item"):
        setattr(DynamoDBBackend, name, _atomic(getattr(DynamoDBBackend, name)))
    DynamoDBBackend.transact_write_items = transact_write_items  # type: ignore[method-assign]
    _installed.append(True)
