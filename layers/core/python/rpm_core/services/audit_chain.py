"""The hash chains of the audit trail: how an entry is hashed and how it joins a shard's chain.

Every entry carries ``prevHash`` (the hash of the entry before it in its shard, or ``GENESIS``)
and ``hash`` = SHA-256 of the entry's canonical JSON (every stored attribute but ``hash``).
A writer appends to its process's home shard: it takes the head (cached from its own last append,
else one Query), numbers its entries head+1, head+2, … and puts them only if those keys are new.
A concurrent writer that got there first makes the put fail; the writer then moves its home to another
shard (any shard will do, and a crowded one would keep failing: many Lambda instances, or the local
stack's concurrent requests of one function, can share a home) and tries there, reading that head. A
writer told its shard (the stream writer's) reads the new head and tries that shard again. Chains
therefore never fork, and a process that is the only writer of its shard appends with one storage call.
"""

from __future__ import annotations

import hashlib
import json
import random
import secrets
import time
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from rpm_core.config import process_cache
from rpm_core.data import audit_log as store

SHARD_COUNT = 16
SHARDS: tuple[str, ...] = tuple(f"s{i:02d}" for i in range(SHARD_COUNT))
GENESIS = "0" * 64
MAX_ATTEMPTS = 25


@process_cache
def _heads() -> dict[str, tuple[int, str]]:
    """Shard → (seq, hash) of the last entry this process wrote or read there."""
    return {}


@process_cache
def _home() -> list[str]:
    return [SHARDS[secrets.randbelow(SHARD_COUNT)]]


def home_shard() -> str:
    """The shard this process appends to, chosen at random when the process starts (spreads the
    writers of many Lambda instances over the shards, and keeps each one's cached head fresh)."""
    return _home()[0]


def stream_shard() -> str:
    """The shard the audit writer appends to: the one opposite its process's home shard (as random as any:
    the writer is a process of its own in AWS, and a function of its own in the local stack's sandboxes)."""
    return SHARDS[(SHARDS.index(home_shard()) + SHARD_COUNT // 2) % SHARD_COUNT]


def set_home_shard(shard: str) -> None:
    if shard not in SHARDS:
        raise ValueError(f"unknown shard {shard!r}")
    _home()[0] = shard


def _move_home(away_from: str) -> str:
    """A new home shard for this process, any but ``away_from``."""
    others = [candidate for candidate in SHARDS if candidate != away_from]
    set_home_shard(others[secrets.randbelow(len(others))])
    return home_shard()


def forget_heads() -> None:
    _heads().clear()


def _plain(value: Any) -> Any:
    """DynamoDB's types as plain JSON: numbers as int (or their text), sets as sorted lists."""
    if isinstance(value, Mapping):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    if isinstance(value, set | frozenset):
        return sorted(_plain(item) for item in value)
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else str(value)
    if isinstance(value, float):
        return int(value) if value.is_integer() else repr(value)
    return value


def canonical(item: Mapping[str, Any]) -> bytes:
    body = {key: value for key, value in item.items() if key != "hash"}
    return json.dumps(_plain(body), sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def entry_hash(item: Mapping[str, Any]) -> str:
    return hashlib.sha256(canonical(item)).hexdigest()


def _head(shard: str) -> tuple[int, str]:
    cached = _heads().get(shard)
    if cached:
        return cached
    found = store.head(shard)
    return (int(found["seq"]), str(found["hash"])) if found else (0, GENESIS)


def append(
    entries: list[dict[str, Any]], *, claims: Sequence[str] = (), shard: str | None = None
) -> list[dict[str, Any]]:
    """Appends ``entries`` (in this order) to one shard's chain; returns them as stored.

    With ``claims`` (stream records' derived ids) the entries are written only if every claim is
    new, in the same transaction: when all exist (a redelivery) it returns ``[]`` and writes nothing;
    when only some exist it writes nothing and raises ``store.AlreadyRecorded`` naming those, for the
    caller to write its entries again without the records already recorded.
    """
    if not entries:
        return []
    target = shard or home_shard()
    for attempt in range(MAX_ATTEMPTS):
        if attempt and shard is None:  # the home shard is contested: move away rather than queue behind it
            target = _move_home(away_from=target)
        seq, previous = _head(target)
        stored = []
        for entry in entries:
            seq += 1
            item = {**entry, "shard": target, "seq": seq, "prevHash": previous}
            item["hash"] = previous = entry_hash(item)
            stored.append(item)
        try:
            store.append(stored, claims=claims)
        except store.AlreadyRecorded as recorded:
            if recorded.claims >= set(claims):
                return []
            raise
        except store.ChainConflict:
            _heads().pop(target, None)  # someone else appended: read the head again
            time.sleep(random.uniform(0, 0.002 * (attempt + 1)))  # noqa: S311 - jitter, not security
            continue
        _heads()[target] = (seq, previous)
        return stored
    raise RuntimeError(f"could not append to audit shard {target} after {MAX_ATTEMPTS} attempts")
