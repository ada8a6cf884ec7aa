"""Local-only fixes of moto's cost model (behaviour unchanged), applied once by the local stack.

moto's ``TransactWriteItems`` takes a rollback copy of a table *for each action* naming it, so
a 100-action transaction on a table of n items copies it 100 times (O(100·n)) and slows down as
the test session's data grows, until the client's read timeout. DynamoDB itself has no such
cost. The patch takes one copy per table per transaction, still before any write, exactly the
state moto rolls back to.
"""

from __future__ import annotations

import copy
import threading
from types import SimpleNamespace
from typing import Any

_local = threading.local()
_applied = False


def _deepcopy(value: Any, memo: Any = None) -> Any:
    tables: dict[int, Any] | None = getattr(_local, "tables", None)
    if tables is not None and type(value).__name__ == "Table":
        if id(value) not in tables:
            tables[id(value)] = copy.deepcopy(value, memo)
        return tables[id(value)]
    return copy.deepcopy(value, memo)


def apply() -> None:
    global _applied
    if _applied:
        return
    from moto.dynamodb import models
    from moto.dynamodb.models import DynamoDBBackend

    original = DynamoDBBackend.transact_write_items

    def transact_write_items(self: Any, transact_items: list[dict[str, Any]]) -> None:
        _local.tables = {}
        try:
            original(self, transact_items)
        finally:
            _local.tables = None

    models.copy = SimpleNamespace(deepcopy=_deepcopy)  # type: ignore[assignment]
    DynamoDBBackend.transact_write_items = transact_write_items  # type: ignore[method-assign]
    _applied = True
