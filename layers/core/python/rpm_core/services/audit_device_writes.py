"""Device writes, a group per table, patient and device in a stream batch: one ``create`` entry for many
readings, written exactly once together with every record's claim."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from rpm_core.data import audit_log as store
from rpm_core.data.stream_records import plain_image
from rpm_core.data.tables import TableSpec
from rpm_core.services import audit_chain
from rpm_core.services.audit_changes import entity_type, stream_entry_id, table_of
from rpm_core.services.audit_entries import new_entry

DEVICE_GROUP_MAX_RECORDS = 25
"""The most stream records one device group entry records: its transaction holds that many claims and the
entry (well within ``store.MAX_TRANSACTION_ITEMS``), and its id lists stay small (~2 KB). It is also the
mapping's batch size (``catalog.STREAM_CONSUMPTION``): a batch's group is one entry."""


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
    new = plain_image(record.get("dynamodb", {}).get("NewImage")) or {}
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
        keys = plain_image(record.get("dynamodb", {}).get("Keys")) or {}
        entity_ids.append("#".join(str(keys.get(name, "")) for name in key_names))
        request_id = (plain_image(record.get("dynamodb", {}).get("NewImage")) or {}).get("requestId")
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
