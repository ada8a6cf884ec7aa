"""Verification: every shard's chain recomputed and checked against the anchored digests.

``verify_chains`` answers plain dataclasses (the daily ``auditverify`` function loads no model);
``verify``, ``GET /audit-logs/verify``, answers them as the API's ``VerifyResult``.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from rpm_core.auth import Principal
from rpm_core.clock import iso
from rpm_core.data import audit_log as store
from rpm_core.services import audit_chain
from rpm_core.services.access import require_admin
from rpm_core.services.audit_digests import digest_hash

if TYPE_CHECKING:
    from rpm_core.models.audit import VerifyResult


@dataclass(frozen=True)
class BrokenEntry:
    """The first entry that fails (``rpm_core.models.audit.BrokenEntry`` in the API's answer)."""

    shard: str
    seq: int
    reason: str
    objectId: str | None = None


@dataclass(frozen=True)
class Verification:
    """What ``verify_chains`` found (``rpm_core.models.audit.VerifyResult`` in the API's answer)."""

    verified: bool
    entriesChecked: int
    digestsChecked: int
    firstBrokenEntry: BrokenEntry | None = None


class _Broken(Exception):
    def __init__(self, shard: str, seq: int, reason: str, object_id: str | None = None) -> None:
        super().__init__(reason)
        self.entry = BrokenEntry(shard=shard, seq=seq, reason=reason, objectId=object_id)


def _anchored(number: int) -> bytes | None:
    """The digest as first written; a key written over (more than one version, or a delete marker) is tampering:
    Object Lock keeps the original, but a new version consistent with rewritten chains would pass otherwise."""
    body, versions = store.anchored_digest(number)
    if versions > 1:
        raise _Broken("digest", number, f"digest {number} was written over: its key holds {versions} versions")
    return body


def _load_digests(first: int | None, last: int | None) -> list[dict[str, Any]]:
    """Digests ``first``..``last`` from the bucket (the anchor), each checked and linked to the one before."""
    newest = store.last_digest()
    end = last or (int(newest["seq"]) if newest else 0)
    start = first or 1
    previous_hash = audit_chain.GENESIS
    if start > 1:
        body = _anchored(start - 1)
        if body is None:
            raise _Broken("digest", start - 1, f"digest {start - 1} is missing from the digest bucket")
        previous_hash = json.loads(body)["digestHash"]
    digests = []
    for number in range(start, end + 1):
        body = _anchored(number)
        if body is None:
            raise _Broken("digest", number, f"digest {number} is missing from the digest bucket")
        digest = json.loads(body)
        if digest.get("number") != number or digest.get("digestHash") != digest_hash(digest):
            raise _Broken("digest", number, f"digest {number} does not match its own hash")
        if digest.get("previousDigestHash") != previous_hash:
            raise _Broken("digest", number, f"digest {number} does not follow digest {number - 1}")
        previous_hash = digest["digestHash"]
        digests.append(digest)
    if last is None and _anchored(end + 1) is not None:
        raise _Broken("digest", end + 1, f"digest {end + 1} is in the bucket but missing from the table's index")
    return digests


def _check_shard(
    shard: str, digests: list[dict[str, Any]], *, from_start: bool, to_end: bool, since: str | None, until: str | None
) -> int:
    """Walks one shard's chain; returns the entries in the time range it checked, or raises _Broken."""
    pins = {int(d["heads"][shard]["seq"]): (str(d["heads"][shard]["hash"]), int(d["number"])) for d in digests
            if shard in d.get("heads", {})}  # fmt: skip
    anchor = None if from_start or not digests else digests[0]["heads"].get(shard)
    start = int(anchor["seq"]) if anchor else 1
    stop = None
    if not to_end and digests and shard in digests[-1].get("heads", {}):
        stop = int(digests[-1]["heads"][shard]["seq"])
    expected, previous, proven = start, audit_chain.GENESIS, start - 1
    checked = 0
    for item in store.walk(shard, from_seq=start):
        raw_seq = item["seq"]
        object_id = item.get("objectId")
        if raw_seq != int(raw_seq):
            raise _Broken(shard, expected, f"an item that is not in the chain sits before seq {expected}", object_id)
        seq = int(raw_seq)
        if seq > expected:
            raise _Broken(shard, expected, f"entry {expected} is missing (the chain jumps to {seq})")
        if audit_chain.entry_hash(item) != item.get("hash"):
            raise _Broken(shard, seq, "the entry does not match its hash (edited)", object_id)
        if seq == start and anchor:
            if item["hash"] != anchor["hash"]:
                raise _Broken(shard, proven + 1, "the chain does not match the digest it starts from", object_id)
        elif item.get("prevHash") != previous:
            raise _Broken(shard, seq, "prevHash does not name the entry before (inserted or edited)", object_id)
        if seq in pins:
            pinned_hash, number = pins[seq]
            if item["hash"] != pinned_hash:
                raise _Broken(
                    shard, proven + 1,
                    f"the chain was rewritten at or after seq {proven + 1}: digest {number} recorded another hash "
                    f"for seq {seq}",
                )  # fmt: skip
            proven = seq
        created = str(item.get("createdAt", ""))
        if (since is None or created >= since) and (until is None or created <= until):
            checked += 1
        previous, expected = item["hash"], seq + 1
        if stop is not None and seq >= stop:
            break
    missing = [seq for seq in pins if seq >= expected]
    if missing:
        raise _Broken(shard, expected, f"entries from {expected} are missing: a digest recorded seq {max(missing)}")
    return checked


def verify(principal: Principal, *, since: datetime | None, until: datetime | None) -> VerifyResult:
    from rpm_core.models.audit import VerifyResult  # the API's answer (the audit function has it loaded already)

    require_admin(principal)
    result = verify_chains(since=iso(since) if since else None, until=iso(until) if until else None)
    return VerifyResult.model_validate(asdict(result))


def verify_chains(*, since: str | None = None, until: str | None = None) -> Verification:
    """Recomputes every shard's chain over [since, until] and checks it against the anchored digests:
    the first broken entry (edited, deleted, inserted, or a chain rewritten consistently from an
    edited entry on, which only a digest can show) is reported."""
    first, last = store.digests_around(since, until)
    checked = 0
    digests: list[dict[str, Any]] = []
    try:
        digests = _load_digests(first, last)
        for shard in audit_chain.SHARDS:
            checked += _check_shard(
                shard, digests, from_start=first is None, to_end=last is None, since=since, until=until
            )
    except _Broken as broken:
        return Verification(
            verified=False, entriesChecked=checked, digestsChecked=len(digests), firstBrokenEntry=broken.entry
        )
    return Verification(verified=True, entriesChecked=checked, digestsChecked=len(digests))
