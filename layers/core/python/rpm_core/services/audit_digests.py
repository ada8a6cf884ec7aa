"""Digests: every shard's head anchored in the Object Lock bucket, each digest naming the previous one's hash."""

from __future__ import annotations

import hashlib
import json
from datetime import datetime, timedelta
from typing import Any

from rpm_core.clock import now, now_iso
from rpm_core.data import audit_log as store
from rpm_core.services import audit_chain

DIGEST_DUE_AFTER = timedelta(minutes=55)
"""The hourly schedule writes a digest unless one was made since (on demand, or by a retried invocation)."""


def digest_hash(digest: dict[str, Any]) -> str:
    body = {key: value for key, value in digest.items() if key != "digestHash"}
    return hashlib.sha256(json.dumps(body, sort_keys=True, separators=(",", ":")).encode()).hexdigest()


def write_digest(*, force: bool = False) -> dict[str, Any] | None:
    """Writes a digest of every shard's head, CloudTrail-style (each names the previous digest's hash): on
    the hourly schedule (``auditdigest``), or at once with ``force`` (on demand). Returns it, or None if
    none was due."""
    last = store.last_digest()
    if last is not None:
        store.put_digest_object(int(last["seq"]), str(last["body"]).encode())  # claimed, put lost: once only
        made = datetime.fromisoformat(str(last["createdAt"]).replace("Z", "+00:00"))
        if not force and now() - made < DIGEST_DUE_AFTER:
            return None
    heads: dict[str, dict[str, Any]] = {}
    for shard in audit_chain.SHARDS:
        found = store.head(shard)
        if found:
            heads[shard] = {"seq": int(found["seq"]), "hash": str(found["hash"])}
    number = int(last["seq"]) + 1 if last else 1
    created_at = now_iso()
    digest: dict[str, Any] = {
        "number": number,
        "createdAt": created_at,
        "previousDigestHash": str(last["digestHash"]) if last else audit_chain.GENESIS,
        "heads": heads,
    }
    digest["digestHash"] = digest_hash(digest)
    body = json.dumps(digest, sort_keys=True, separators=(",", ":"))
    try:
        store.claim_digest(
            {
                "seq": number,
                "at": f"{created_at}#{number:010d}",
                "createdAt": created_at,
                "digestHash": digest["digestHash"],
                "body": body,
            }
        )
    except store.ChainConflict:
        return None  # another writer made this digest meanwhile
    store.put_digest_object(number, body.encode())
    return digest
