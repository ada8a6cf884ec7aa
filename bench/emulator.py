"""What the bench changes in moto (whose server runs in this process), for its own cases only.

``indexed_queries``: DynamoDB's index lookups. moto answers a ``Query`` on a global secondary
index by walking every item of the table and sorting the matching partition: one page of a
patient with 100,000 readings takes it about 16 s on this machine, so a bench of that list would
time moto's sort, not the route. DynamoDB reads the page from its index, whatever the partition's
size. ``indexed_queries`` does the same for the tables it names: a sorted snapshot of each queried
index partition, walked from the page's start (``bisect``) for at most a page. The snapshot is
rebuilt after any write to the table (each write adds a record to the table's stream, so the
tables must be streamed) and after ``invalidate`` (items seeded straight into moto's table, or
written while ``unstreamed``). Queries it does not cover (a table's own key, composite index keys,
``KeyConditions`` filters, consistent reads) go to moto's own code. The answer is moto's, item for
item: the same items, order, ``ScannedCount``, ``LastEvaluatedKey`` and size limit
(tests/unit/test_bench.py compares the two).

``unstreamed``: a case's set-up writes kept off the tables' streams. Every streamed write is
audited by the audit writer, which on moto costs ~25 ms a record (moto's ``Query`` for the
chain's head walks the whole audit table): a set-up of thousands of writes would cost minutes of
auditing that no figure measures.
"""

from __future__ import annotations

import contextlib
import copy
from bisect import bisect_left, bisect_right
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from moto.core import DEFAULT_ACCOUNT_ID
from moto.dynamodb.models import dynamodb_backends
from moto.dynamodb.models.dynamo_type import DynamoType, Item
from moto.dynamodb.models.table import RESULT_SIZE_LIMIT, GlobalSecondaryIndex, Table

from infra.local.stack import REGION

SortKey = tuple[Any, ...]


@dataclass
class _Partition:
    writes: int
    """The table's stream length when the snapshot was taken."""
    keys: list[SortKey]
    items: list[Item]


@dataclass
class IndexedQueries:
    tables: frozenset[str]
    partitions: dict[tuple[str, str, Any], _Partition] = field(default_factory=dict)
    served: int = 0
    """Queries answered from a snapshot (the rest went to moto's own code)."""

    def invalidate(self) -> None:
        self.partitions.clear()

    def query(self, original: Any, table: Table, *args: Any, **kwargs: Any) -> Any:
        answer = self._query(table, *args, **kwargs) if table.name in self.tables else None
        if answer is None:
            return original(table, *args, **kwargs)
        self.served += 1
        return answer

    def _query(
        self,
        table: Table,
        hash_key: DynamoType | None,
        range_comparison: str | None,
        range_objs: list[DynamoType],
        limit: int | None,
        exclusive_start_key: dict[str, Any] | None,
        scan_index_forward: bool,
        projection_expressions: list[list[str]] | None,
        index_name: str | None = None,
        consistent_read: bool = False,
        filter_expression: Any = None,
        hash_key_conditions: list[tuple[str, DynamoType]] | None = None,
        range_key_conditions: list[tuple[str, str, list[DynamoType]]] | None = None,
        **filter_kwargs: Any,
    ) -> tuple[list[Item], int, dict[str, Any] | None] | None:
        index = table.get_index(index_name) if index_name else None
        if not isinstance(index, GlobalSecondaryIndex) or filter_kwargs or consistent_read:
            return None
        schema = {key["KeyType"]: key["AttributeName"] for key in index.schema}
        if len(index.schema) != 2 or set(schema) != {"HASH", "RANGE"}:
            return None
        if len(hash_key_conditions or []) != 1 or len(range_key_conditions or []) > 1:
            return None
        (hash_attr, hash_value), range_attr = (hash_key_conditions or [])[0], schema["RANGE"]
        if hash_attr != schema["HASH"] or any(name != range_attr for name, _, _ in range_key_conditions or []):
            return None
        sort_attrs = [range_attr, table.hash_key_attr] + ([table.range_key_attr] if table.range_key_attr else [])
        if exclusive_start_key is not None and any(attr not in exclusive_start_key for attr in sort_attrs):
            return None
        partition = self._partition(table, index.name, hash_attr, hash_value, range_attr, sort_attrs)
        if partition is None:
            return None
        if exclusive_start_key is None:
            start = 0 if scan_index_forward else len(partition.items) - 1
        else:
            after = tuple(_sortable(DynamoType(exclusive_start_key[attr])) for attr in sort_attrs)
            start = (
                bisect_right(partition.keys, after) if scan_index_forward else bisect_left(partition.keys, after) - 1
            )
        step = 1 if scan_index_forward else -1
        results: list[Item] = []
        size = scanned = 0
        last_key = None
        position = start
        while 0 <= position < len(partition.items):  # moto's loop, from the page's start instead of the table's
            item = partition.items[position]
            position += step
            if len(results) == limit or size + item.size() > RESULT_SIZE_LIMIT:
                last_key = table._get_last_evaluated_key(results[-1], index.name)
                break
            if range_comparison and not item.attrs[range_attr].compare(range_comparison, range_objs):
                continue
            results.append(item)
            size += item.size()
            scanned += 1
        results = [index.project(item) for item in copy.deepcopy(results)]
        if filter_expression is not None:
            results = [item for item in results if filter_expression.expr(item)]
        if projection_expressions:
            results = [item.project(projection_expressions) for item in results]
        return results, scanned, last_key

    def _partition(
        self, table: Table, index: str, hash_attr: str, hash_value: DynamoType, range_attr: str, sort_attrs: list[str]
    ) -> _Partition | None:
        if table.stream_shard is None:
            return None  # its writes could not be seen
        writes = len(table.stream_shard.items)
        slot = (table.name, index, hash_value.cast_value)
        known = self.partitions.get(slot)
        if known is not None and known.writes == writes:
            return known
        members = [
            item
            for item in _items(table)
            if _equal(item.attrs.get(hash_attr), hash_value) and item.attrs.get(range_attr) is not None
        ]
        keyed = sorted(((tuple(_sortable(item.attrs[a]) for a in sort_attrs), item) for item in members), key=_first)
        partition = _Partition(writes, [key for key, _ in keyed], [item for _, item in keyed])
        self.partitions[slot] = partition
        return partition


def _items(table: Table) -> Iterator[Item]:
    """The table's items, unordered (moto's ``all_items`` sorts the whole table first)."""
    for entry in table.items.values():
        if table.range_key_attr:
            yield from entry.values()
        else:
            yield entry  # type: ignore[misc]


def _sortable(value: DynamoType) -> Any:
    """What moto compares a key attribute by (``cast_value``; a string's is itself, read here directly)."""
    return value.value if value.type == "S" else value.cast_value


def _equal(value: DynamoType | None, wanted: DynamoType) -> bool:
    """moto's ``DynamoType.__eq__``, for a value that may be absent."""
    return value is not None and value.type == wanted.type and _sortable(value) == _sortable(wanted)


def _first(pair: tuple[SortKey, Item]) -> SortKey:
    return pair[0]


@contextlib.contextmanager
def indexed_queries(*table_names: str) -> Iterator[IndexedQueries]:
    """While open, moto answers index Queries on these (streamed) tables from sorted partition snapshots."""
    queries = IndexedQueries(frozenset(table_names))
    original = Table.query

    def query(self: Table, *args: Any, **kwargs: Any) -> Any:
        return queries.query(original, self, *args, **kwargs)

    Table.query = query  # type: ignore[method-assign]
    try:
        yield queries
    finally:
        Table.query = original  # type: ignore[method-assign]


def moto_table(name: str) -> Table:
    """A table of the stack's moto server."""
    table: Table = dynamodb_backends[DEFAULT_ACCOUNT_ID][REGION].get_table(name)
    return table


@contextlib.contextmanager
def unstreamed(*table_names: str) -> Iterator[None]:
    """While open, writes to these tables add no stream records (their consumers never see them)."""
    shards = [table.stream_shard for table in map(moto_table, table_names) if table.stream_shard is not None]
    for shard in shards:
        shard.add = _not_streamed  # type: ignore[method-assign]
    try:
        yield
    finally:
        for shard in shards:
            del shard.add


def _not_streamed(old: Item | None, new: Item | None) -> None:
    pass
