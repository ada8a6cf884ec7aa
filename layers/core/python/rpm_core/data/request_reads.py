"""Items read by key once per request, in the request's one ``BatchGetItem``.

The request entrypoint reads the caller's user and session together with the keys the route's
visibility check will ask for (a patient's profile and the caller's care-team seat), in a single
call; the repositories' get-by-key functions take those items from here instead of asking again.
Each prefetched item serves one read (the first): a read after the route wrote the item goes to
storage. The items are kept in the request's context (``rpm_core.context``); outside a request none is
kept or served.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from rpm_core import context
from rpm_core.context import Slot
from rpm_core.data.aws import table
from rpm_core.data.items import batch_get
from rpm_core.data.tables import TableSpec

Item = dict[str, Any]
_ABSENT: Any = object()


@dataclass(frozen=True)
class KeyRead:
    table: TableSpec
    key: dict[str, str]

    @property
    def slot(self) -> Slot:
        return self.table.name, json.dumps(self.key, sort_keys=True)


def _prefetched() -> dict[Slot, Item | None] | None:
    request = context.current()
    return request.prefetched if request else None


def read_together(reads: list[KeyRead]) -> list[Item | None]:
    """Every read in one consistent ``BatchGetItem``; each item (or its absence) is kept for the request."""
    request: dict[str, dict[str, Any]] = {}
    for read in reads:
        entry = request.setdefault(table(read.table).name, {"Keys": [], "ConsistentRead": True})
        if read.key not in entry["Keys"]:
            entry["Keys"].append(read.key)
    found = batch_get(request)
    results: list[Item | None] = []
    for read in reads:
        items = found[table(read.table).name]
        results.append(next((i for i in items if all(i.get(k) == v for k, v in read.key.items())), None))
    store = _prefetched()
    if store is not None:
        for read, item in zip(reads, results, strict=True):
            store[read.slot] = item
    return results


def get_by_key(spec: TableSpec, key: dict[str, str], load: Callable[[], Item | None]) -> Item | None:
    """The prefetched item for ``key`` (once), else ``load()`` from storage."""
    store = _prefetched()
    slot = KeyRead(spec, key).slot
    if store is not None:
        found = store.pop(slot, _ABSENT)  # one step: a GraphQL request's concurrent resolvers share the store
        if found is not _ABSENT:
            return found
    return load()


def was_prefetched(*reads: KeyRead) -> bool:
    store = _prefetched()
    return store is not None and all(read.slot in store for read in reads)


def peek(read: KeyRead) -> Item | None:
    """The prefetched item for ``read`` without serving it (None: absent, or not prefetched)."""
    store = _prefetched()
    return store.get(read.slot) if store is not None else None
