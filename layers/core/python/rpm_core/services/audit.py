"""The audit trail: what gets recorded (changes from the streams, security events), how it is read
(admins; a patient's own access log) and how it is proven intact (chains checked against digests).

Entries hold ids and field names only, never a record's values: the trail can be read without
reading patient data, and logs or exports of it carry none.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from rpm_core.auth import Principal
from rpm_core.clock import iso, now, now_iso
from rpm_core.config import settings
from rpm_core.data import audit_log as store
from rpm_core.data import stream_records
from rpm_core.data import users as user_store
from rpm_core.data.items import without_none
from rpm_core.data.tables import TABLES, TableSpec
from rpm_core.errors import Forbidden
from rpm_core.models.audit import AccessLogEntry, AuditEntry, BrokenEntry, VerifyResult
from rpm_core.models.common import ListResponse
from rpm_core.provenance import Actor
from rpm_core.services import audit_chain, time_range
from rpm_core.services.access import Relation, patient_grant, require_admin

TTL_SERVICE = "dynamodb.amazonaws.com"
TTL_ACTOR = "system:ttl"
DELETION_STAMP = frozenset({"deletedAt", "deletedBy", "actorKind", "requestId"})
"""What a delete stamps on the item just before deleting it (``provenance.deleted``): not a change of its own."""
DIGEST_DUE_AFTER = timedelta(minutes=55)
"""The hourly schedule writes a digest unless one was made since (on demand, or by a retried invocation)."""
STREAM_ACTIONS = {"INSERT": "create", "MODIFY": "update", "REMOVE": "delete"}
ROLE_FIELDS = frozenset({"role", "status"})
DEVICE_GROUP_MAX_RECORDS = 25
"""The most stream records one device group entry records: its transaction holds that many claims and the
entry (well within ``store.MAX_TRANSACTION_ITEMS``), and its id lists stay small (~2 KB). It is also the
mapping's batch size (``catalog.STREAM_CONSUMPTION``): a batch's group is one entry."""


def audited_tables(tables: tuple[TableSpec, ...] = TABLES) -> tuple[TableSpec, ...]:
    """Every table that holds patient data: its stream feeds the audit writer (``infra/catalog.py``)."""
    return tuple(spec for spec in tables if spec.patient_data)


def entity_type(spec: TableSpec) -> str:
    """``Patients`` → ``Patient``, ``CareTeams`` → ``CareTeam``, ``DeviceData`` → ``DeviceData``."""
    return spec.name[:-1] if spec.name.endswith("s") and not spec.name.endswith("ss") else spec.name


def new_entry(
    *,
    action: str,
    actor: str,
    entity_type: str,
    entity_id: str,
    summary: str,
    actor_kind: str = "user",
    patient_id: str | None = None,
    request_id: str | None = None,
    source_ip: str | None = None,
    metadata: dict[str, Any] | None = None,
    object_id: str | None = None,
) -> dict[str, Any]:
    """An entry before it joins a chain (``audit_chain.append`` adds shard, seq, prevHash and hash)."""
    object_id = object_id or uuid.uuid4().hex
    created_at = now_iso()
    entity_id = entity_id or "-"
    return without_none(
        {
            "objectId": object_id,
            "action": action,
            "actor": actor or "unknown",
            "actorKind": actor_kind,
            "entityType": entity_type,
            "entityId": entity_id,
            "entityKey": f"{entity_type}#{entity_id}",
            "patientId": patient_id or None,
            "summary": summary,
            "metadata": metadata or None,
            "requestId": request_id or None,
            "sourceIp": source_ip or None,
            "createdAt": created_at,
            "at": f"{created_at}#{object_id}",
        }
    )


def to_model(item: dict[str, Any]) -> AuditEntry:
    fields = {key: value for key, value in item.items() if key in AuditEntry.model_fields}
    return AuditEntry(**audit_chain._plain(fields), patient=item.get("patientId"))


# --- changes, from the tables' streams ---------------------------------------------------------


def _image(raw: dict[str, Any] | None) -> dict[str, Any]:
    return stream_records.plain_image(raw) or {}


def table_of(event_source_arn: str, tables: tuple[TableSpec, ...] | None = None) -> TableSpec:
    """The audited table a stream record comes from (its physical name is in the record's ARN)."""
    spec = stream_records.table_of(event_source_arn, tables or audited_tables())
    if spec is None:
        raise ValueError(f"stream of an unaudited or undeclared table: {event_source_arn}")
    return spec


def stream_entry_id(record: dict[str, Any]) -> str:
    """The entry id of a stream record: the same record (redelivered) always gets the same id."""
    source = f"{record.get('eventSourceARN', '')}|{record['eventID']}"
    return hashlib.sha256(source.encode()).hexdigest()[:32]


def _changed(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    return sorted(name for name in set(old) | set(new) if old.get(name) != new.get(name))


def is_deletion_stamp(record: dict[str, Any]) -> bool:
    """The update a delete makes just before it (``deletedBy``…): its REMOVE record is the change."""
    if record.get("eventName") != "MODIFY":
        return False
    data = record.get("dynamodb", {})
    old, new = _image(data.get("OldImage")), _image(data.get("NewImage"))
    changed = set(_changed(old, new))
    return "deletedBy" in changed and changed <= DELETION_STAMP | {"updatedAt"}


def change_entry(record: dict[str, Any], spec: TableSpec) -> dict[str, Any] | None:
    """The entry for one stream record, or None for a record that is no change of its own."""
    if is_deletion_stamp(record):
        return None
    data = record.get("dynamodb", {})
    old, new = _image(data.get("OldImage")), _image(data.get("NewImage"))
    keys = _image(data.get("Keys"))
    key_names = [spec.partition_key.name] + ([spec.sort_key.name] if spec.sort_key else [])
    entity_id = "#".join(str(keys.get(name, "")) for name in key_names)
    action = STREAM_ACTIONS[record["eventName"]]
    image = new or old
    identity = record.get("userIdentity") or {}
    metadata: dict[str, Any] = {"table": spec.name, "eventId": record["eventID"]}
    if action == "delete" and identity.get("principalId") == TTL_SERVICE:
        actor, kind = TTL_ACTOR, "system"
        metadata["expired"] = True
    elif action == "delete":
        actor, kind = str(old.get("deletedBy") or old.get("updatedBy") or "unknown"), str(old.get("actorKind", "user"))
    elif action == "create":
        actor, kind = str(new.get("createdBy") or new.get("updatedBy") or "unknown"), str(new.get("actorKind", "user"))
    else:
        actor, kind = str(new.get("updatedBy") or "unknown"), str(new.get("actorKind", "user"))
        changed = _changed(old, new)
        metadata["changed"] = changed
        if "requestId" in new and old.get("requestId") == new.get("requestId"):
            # the write did not stamp its provenance: name no one rather than the previous writer
            metadata["lastRecordedActor"] = actor
            actor, kind = "unattributed", "unknown"
        if spec.name == "Users" and ROLE_FIELDS & set(changed):
            action = "role_change"
            metadata.update({"fromRole": str(old.get("role")), "toRole": str(new.get("role"))})
            metadata.update({"fromStatus": str(old.get("status")), "toStatus": str(new.get("status"))})
    kind_name = entity_type(spec)
    patient_id = image.get("patientId") or image.get("patient")
    summary = f"{kind_name} {entity_id}: {action} by {actor}"
    if metadata.get("changed"):
        summary += f" ({', '.join(metadata['changed'])})"
    return new_entry(
        action=action,
        actor=actor,
        actor_kind=kind,
        entity_type=kind_name,
        entity_id=entity_id,
        summary=summary,
        patient_id=str(patient_id) if patient_id else None,
        request_id=str(image.get("requestId")) if action != "delete" or actor != TTL_ACTOR else None,
        metadata=metadata,
        object_id=stream_entry_id(record),
    )


def record_change(record: dict[str, Any]) -> dict[str, Any] | None:
    """Audits one stream record exactly once: its entry and its claim are written together, so a
    redelivered record (a retried batch) writes nothing. Returns the stored entry (None: nothing to do)."""
    entry = change_entry(record, table_of(str(record.get("eventSourceARN", ""))))
    if entry is None:
        return None
    stored = audit_chain.append([entry], claims=[entry["objectId"]], shard=audit_chain.stream_shard())
    return stored[0] if stored else None


# --- device writes, a group per patient and device in a stream batch -------------------------------


@dataclass
class DeviceGroup:
    """INSERTs of device-written items of one table, patient and device, from one stream batch: one entry."""

    spec: TableSpec
    patient_id: str
    device_id: str
    records: list[dict[str, Any]] = field(default_factory=list)

    @property
    def claims(self) -> list[str]:
        return [stream_entry_id(record) for record in self.records]


def device_write(record: dict[str, Any], spec: TableSpec) -> tuple[str, str] | None:
    """(patient, device) of a stream record that inserts an item a device wrote (``actorKind: device``,
    ``createdBy``: the device, a patient), else None: the record is audited on its own."""
    if record.get("eventName") != "INSERT":
        return None
    new = _image(record.get("dynamodb", {}).get("NewImage"))
    patient, device = new.get("patientId") or new.get("patient"), new.get("createdBy")
    if new.get("actorKind") != "device" or not patient or not device:
        return None
    return str(patient), str(device)


def device_groups(records: Iterable[dict[str, Any]]) -> list[DeviceGroup]:
    """The batch's device writes grouped by table, patient and device (in order of first appearance), each
    group at most ``DEVICE_GROUP_MAX_RECORDS`` records; a record delivered twice in the batch counts once.
    Every other record (a person's or the system's change, an update, a delete) is in no group."""
    open_groups: dict[tuple[str, str, str], DeviceGroup] = {}
    groups: list[DeviceGroup] = []
    seen: set[str] = set()
    for record in records:
        try:
            spec = table_of(str(record.get("eventSourceARN", "")))
            writer = device_write(record, spec)
            claim = stream_entry_id(record)
        except Exception:  # noqa: S112 - a malformed record: the per-record path fails and reports it
            continue
        if writer is None or claim in seen:
            continue
        seen.add(claim)
        key = (spec.name, *writer)
        group = open_groups.get(key)
        if group is None or len(group.records) >= DEVICE_GROUP_MAX_RECORDS:
            group = open_groups[key] = DeviceGroup(spec, *writer)
            groups.append(group)
        group.records.append(record)
    return groups


def group_entry(group: DeviceGroup) -> dict[str, Any]:
    """One ``create`` entry for a group's records: the device as actor, the items' ids (as each record's own
    entry would name them) in ``metadata.entityIds``, their stream event ids in ``metadata.eventIds``."""
    spec, records = group.spec, group.records
    key_names = [spec.partition_key.name] + ([spec.sort_key.name] if spec.sort_key else [])
    entity_ids, request_ids = [], []
    for record in records:
        keys = _image(record.get("dynamodb", {}).get("Keys"))
        entity_ids.append("#".join(str(keys.get(name, "")) for name in key_names))
        request_id = _image(record.get("dynamodb", {}).get("NewImage")).get("requestId")
        if request_id and str(request_id) not in request_ids:
            request_ids.append(str(request_id))
    kind_name = entity_type(spec)
    metadata: dict[str, Any] = {
        "table": spec.name,
        "entityIds": entity_ids,
        "eventIds": [str(record["eventID"]) for record in records],
    }
    if len(request_ids) > 1:  # several ingest invocations in one stream batch: the entry names each
        metadata["requestIds"] = request_ids
    claims = group.claims
    return new_entry(
        action="create",
        actor=group.device_id,
        actor_kind="device",
        entity_type=kind_name,
        entity_id=entity_ids[0] if len(entity_ids) == 1 else group.patient_id,
        summary=f"{len(records)} {kind_name} record(s) of patient {group.patient_id} created by device "
        f"{group.device_id}",
        patient_id=group.patient_id,
        request_id=request_ids[0] if len(request_ids) == 1 else None,
        metadata=metadata,
        object_id=claims[0] if len(claims) == 1 else hashlib.sha256("|".join(claims).encode()).hexdigest()[:32],
    )


def record_group(group: DeviceGroup) -> dict[str, Any] | None:
    """Audits a device group exactly once: its entry and every record's claim (the claim ``record_change``
    would write) in one transaction. Records whose claims exist already (a redelivered batch, or a retry
    of part of one) are dropped and the entry is written for the rest; None when nothing was left."""
    pending = list(group.records)
    while pending:
        current = DeviceGroup(group.spec, group.patient_id, group.device_id, pending)
        try:
            stored = audit_chain.append([group_entry(current)], claims=current.claims, shard=audit_chain.stream_shard())
        except store.AlreadyRecorded as recorded:
            pending = [record for record in pending if stream_entry_id(record) not in recorded.claims]
            continue
        return stored[0] if stored else None
    return None


# --- security events -----------------------------------------------------------------------------


def record_event(
    action: str,
    *,
    actor: str,
    entity_type: str,
    entity_id: str,
    summary: str,
    actor_kind: str = "user",
    patient_id: str | None = None,
    request_id: str | None = None,
    source_ip: str | None = None,
    metadata: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Appends one entry for an event no table change shows (a login, a certificate deactivated…)."""
    entry = new_entry(
        action=action,
        actor=actor,
        actor_kind=actor_kind,
        entity_type=entity_type,
        entity_id=entity_id,
        summary=summary,
        patient_id=patient_id,
        request_id=request_id,
        source_ip=source_ip,
        metadata=metadata,
    )
    (stored,) = audit_chain.append([entry])
    return stored


def email_fingerprint(email: str) -> str:
    """A failed login names no account: a salted hash of the address tried, the same for an address
    with or without an account (repeated attempts on one address can be correlated, nothing more)."""
    salt = f"rpm-login|{settings().region}|{settings().user_pool_id}|"
    return hashlib.sha256((salt + email.strip().lower()).encode()).hexdigest()[:32]


def record_login(user_id: str, *, request_id: str | None, source_ip: str | None) -> None:
    record_event(
        "login",
        actor=user_id,
        entity_type="User",
        entity_id=user_id,
        summary=f"User {user_id} signed in",
        request_id=request_id,
        source_ip=source_ip,
    )


def record_failed_login(email: str, *, request_id: str | None, source_ip: str | None) -> None:
    fingerprint = email_fingerprint(email)
    record_event(
        "login_failed",
        actor="anonymous",
        actor_kind="anonymous",
        entity_type="Login",
        entity_id=fingerprint,
        summary="A sign-in failed (wrong credentials or no such account)",
        request_id=request_id,
        source_ip=source_ip,
    )


def record_logout(user_id: str, *, request_id: str | None, source_ip: str | None) -> None:
    record_event(
        "logout",
        actor=user_id,
        entity_type="User",
        entity_id=user_id,
        summary=f"User {user_id} signed out (session revoked)",
        request_id=request_id,
        source_ip=source_ip,
    )


def record_device_event(
    actor: Actor, *, device_id: str, patient_id: str, provisioned: bool, source_ip: str | None = None
) -> dict[str, Any]:
    """For the devices function: a device's certificate issued (provisioned) or deactivated. The Devices
    table's own changes are audited from its stream; this entry records the IoT side, which no table shows."""
    action = "device_provisioned" if provisioned else "device_deactivated"
    return record_event(
        action,
        actor=actor.id,
        actor_kind=actor.kind,
        entity_type="Device",
        entity_id=device_id,
        summary=f"Device {device_id} of patient {patient_id}: {action.replace('_', ' ')} by {actor.id}",
        patient_id=patient_id,
        request_id=actor.request_id,
        source_ip=source_ip,
    )


# --- reading the trail ---------------------------------------------------------------------------


def _bounds(since: datetime | None, until: datetime | None) -> tuple[str | None, str | None]:
    """Index positions (``at`` = createdAt#objectId) of an inclusive time range."""
    low, high = time_range.inclusive(since, until)
    return low, (high + "~" if high else None)


def list_entries(
    principal: Principal,
    *,
    entity_type: str | None,
    entity_id: str | None,
    actor: str | None,
    since: datetime | None,
    until: datetime | None,
    limit: int,
    cursor: str | None,
) -> tuple[list[AuditEntry], str | None]:
    require_admin(principal)
    low, high = _bounds(since, until)
    scope = f"audit|{principal.user_id}|{entity_type}|{entity_id}|{actor}|{low}|{high}"
    if entity_id:  # each filter works alone: an id needs no type
        index, key, value = (
            ("byEntity", "entityKey", f"{entity_type}#{entity_id}")
            if entity_type
            else ("byEntityId", "entityId", entity_id)
        )
        page = store.query_index(
            index, key, value, since=low, until=high, limit=limit, cursor=cursor, scope=scope,
            filters={"actor": actor} if actor else None,
        )  # fmt: skip
    elif actor:
        page = store.query_index(
            "byActor", "actor", actor, since=low, until=high, limit=limit, cursor=cursor, scope=scope,
            filters={"entityType": entity_type} if entity_type else None,
        )  # fmt: skip
    else:
        page = store.query_shards(
            audit_chain.SHARDS, since=low, until=high, limit=limit, cursor=cursor, scope=scope,
            filters={"entityType": entity_type} if entity_type else None,
        )  # fmt: skip
    return [to_model(item) for item in page.items], page.next_cursor


def access_log(
    principal: Principal, patient_id: str, *, limit: int, cursor: str | None
) -> ListResponse[AuditEntry] | ListResponse[AccessLogEntry]:
    """Who read or changed this patient's records, newest first: for the patient (who, what, which record,
    when) and admins (the full entries)."""
    grant = patient_grant(principal, patient_id)
    if grant.relation not in (Relation.ADMIN, Relation.SELF):
        raise Forbidden("Only the patient and admins may read the patient's access log.")
    page = store.query_index(
        "byPatient", "patientId", patient_id, since=None, until=None, limit=limit, cursor=cursor,
        scope=f"access-log|{principal.user_id}|{patient_id}",
    )  # fmt: skip
    if grant.relation == Relation.ADMIN:
        return ListResponse[AuditEntry](items=[to_model(item) for item in page.items], nextCursor=page.next_cursor)
    names = user_store.display_names([str(item["actor"]) for item in page.items]) if page.items else {}
    seen = [
        AccessLogEntry(
            **{key: str(item[key]) for key in ("objectId", "actor", "action", "entityType", "entityId", "createdAt")},
            actorName=names.get(str(item["actor"])),
        )
        for item in page.items
    ]
    return ListResponse[AccessLogEntry](items=seen, nextCursor=page.next_cursor)


# --- digests: the chain heads anchored in the Object Lock bucket --------------------------------


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


# --- verification --------------------------------------------------------------------------------


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
    require_admin(principal)
    return verify_chains(since=iso(since) if since else None, until=iso(until) if until else None)


def verify_chains(*, since: str | None = None, until: str | None = None) -> VerifyResult:
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
        return VerifyResult(
            verified=False, entriesChecked=checked, digestsChecked=len(digests), firstBrokenEntry=broken.entry
        )
    return VerifyResult(verified=True, entriesChecked=checked, digestsChecked=len(digests))
