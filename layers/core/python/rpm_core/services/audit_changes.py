"""Changes, from the tables' streams: one entry per stream record of an audited table, attributed to
the actor its provenance names, written exactly once however often the record is delivered."""

from __future__ import annotations

import hashlib
from typing import Any

from rpm_core.data import stream_records
from rpm_core.data.tables import TABLES, TableSpec
from rpm_core.services import audit_chain
from rpm_core.services.audit_entries import new_entry

TTL_SERVICE = "dynamodb.amazonaws.com"
TTL_ACTOR = "system:ttl"
DELETION_STAMP = frozenset({"deletedAt", "deletedBy", "actorKind", "requestId"})
"""What a delete stamps on the item just before deleting it (``provenance.deleted``): not a change of its own."""
STREAM_ACTIONS = {"INSERT": "create", "MODIFY": "update", "REMOVE": "delete"}
ROLE_FIELDS = frozenset({"role", "status"})


def audited_tables(tables: tuple[TableSpec, ...] = TABLES) -> tuple[TableSpec, ...]:
    """Every table that holds patient data: its stream feeds the audit writer (``infra/catalog.py``)."""
    return tuple(spec for spec in tables if spec.patient_data)


def entity_type(spec: TableSpec) -> str:
    """``Patients`` → ``Patient``, ``CareTeams`` → ``CareTeam``, ``DeviceData`` → ``DeviceData``."""
    return spec.name[:-1] if spec.name.endswith("s") and not spec.name.endswith("ss") else spec.name


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
