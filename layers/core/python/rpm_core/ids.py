"""Identifiers: random UUIDs, and time-ordered ones where an id doubles as a sort key."""

from __future__ import annotations

import secrets
import time
import uuid


def uuid7(at_ms: int | None = None) -> str:
    """A UUID version 7 (RFC 9562): 48 bits of Unix milliseconds, then randomness. Its text sorts by
    time, so a sort key made of it lists items in the order they were made (to the millisecond)."""
    ms = (time.time_ns() // 1_000_000 if at_ms is None else at_ms) & ((1 << 48) - 1)
    random = secrets.randbits(74)
    value = (ms << 80) | (0x7 << 76) | ((random >> 62) << 64) | (0b10 << 62) | (random & ((1 << 62) - 1))
    return str(uuid.UUID(int=value))
