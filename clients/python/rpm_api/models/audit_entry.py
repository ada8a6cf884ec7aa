from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.audit_entry_metadata_type_0 import AuditEntryMetadataType0


T = TypeVar("T", bound="AuditEntry")


@_attrs_define
class AuditEntry:
    """Who did what to which record, when. Ids and field names only: never a record's values.

    Attributes:
        object_id (str):
        actor (str):
        action (str):
        entity_type (str):
        entity_id (str):
        summary (str):
        created_at (str):
        shard (str):
        seq (int):
        hash_ (str):
        prev_hash (str):
        actor_kind (None | str | Unset):
        patient (None | str | Unset):
        metadata (AuditEntryMetadataType0 | None | Unset):
        request_id (None | str | Unset):
        source_ip (None | str | Unset):
    """

    object_id: str
    actor: str
    action: str
    entity_type: str
    entity_id: str
    summary: str
    created_at: str
    shard: str
    seq: int
    hash_: str
    prev_hash: str
    actor_kind: None | str | Unset = UNSET
    patient: None | str | Unset = UNSET
    metadata: AuditEntryMetadataType0 | None | Unset = UNSET
    request_id: None | str | Unset = UNSET
    source_ip: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.audit_entry_metadata_type_0 import AuditEntryMetadataType0  # noqa: PLC0415

        object_id = self.object_id

        actor = self.actor

        action = self.action

        entity_type = self.entity_type

        entity_id = self.entity_id

        summary = self.summary

        created_at = self.created_at

        shard = self.shard

        seq = self.seq

        hash_ = self.hash_

        prev_hash = self.prev_hash

        actor_kind: None | str | Unset
        if isinstance(self.actor_kind, Unset):
            actor_kind = UNSET
        else:
            actor_kind = self.actor_kind

        patient: None | str | Unset
        if isinstance(self.patient, Unset):
            patient = UNSET
        else:
            patient = self.patient

        metadata: dict[str, Any] | None | Unset
        if isinstance(self.metadata, Unset):
            metadata = UNSET
        elif isinstance(self.metadata, AuditEntryMetadataType0):
            metadata = self.metadata.to_dict()
        else:
            metadata = self.metadata

        request_id: None | str | Unset
        if isinstance(self.request_id, Unset):
            request_id = UNSET
        else:
            request_id = self.request_id

        source_ip: None | str | Unset
        if isinstance(self.source_ip, Unset):
            source_ip = UNSET
        else:
            source_ip = self.source_ip

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "objectId": object_id,
                "actor": actor,
                "action": action,
                "entityType": entity_type,
                "entityId": entity_id,
                "summary": summary,
                "createdAt": created_at,
                "shard": shard,
                "seq": seq,
                "hash": hash_,
                "prevHash": prev_hash,
            }
        )
        if actor_kind is not UNSET:
            field_dict["actorKind"] = actor_kind
        if patient is not UNSET:
            field_dict["patient"] = patient
        if metadata is not UNSET:
            field_dict["metadata"] = metadata
        if request_id is not UNSET:
            field_dict["requestId"] = request_id
        if source_ip is not UNSET:
            field_dict["sourceIp"] = source_ip

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.audit_entry_metadata_type_0 import AuditEntryMetadataType0  # noqa: PLC0415

        d = dict(src_dict)
        object_id = d.pop("objectId")

        actor = d.pop("actor")

        action = d.pop("action")

        entity_type = d.pop("entityType")

        entity_id = d.pop("entityId")

        summary = d.pop("summary")

        created_at = d.pop("createdAt")

        shard = d.pop("shard")

        seq = d.pop("seq")

        hash_ = d.pop("hash")

        prev_hash = d.pop("prevHash")

        def _parse_actor_kind(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        actor_kind = _parse_actor_kind(d.pop("actorKind", UNSET))

        def _parse_patient(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        patient = _parse_patient(d.pop("patient", UNSET))

        def _parse_metadata(data: object) -> AuditEntryMetadataType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                metadata_type_0 = AuditEntryMetadataType0.from_dict(data)

                return metadata_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(AuditEntryMetadataType0 | None | Unset, data)

        metadata = _parse_metadata(d.pop("metadata", UNSET))

        def _parse_request_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        request_id = _parse_request_id(d.pop("requestId", UNSET))

        def _parse_source_ip(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        source_ip = _parse_source_ip(d.pop("sourceIp", UNSET))

        audit_entry = cls(
            object_id=object_id,
            actor=actor,
            action=action,
            entity_type=entity_type,
            entity_id=entity_id,
            summary=summary,
            created_at=created_at,
            shard=shard,
            seq=seq,
            hash_=hash_,
            prev_hash=prev_hash,
            actor_kind=actor_kind,
            patient=patient,
            metadata=metadata,
            request_id=request_id,
            source_ip=source_ip,
        )

        audit_entry.additional_properties = d
        return audit_entry

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
