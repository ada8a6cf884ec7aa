from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="AccessLogEntry")


@_attrs_define
class AccessLogEntry:
    """An entry of the patient's access log as the patient sees it: who (id and display name), what, which
    record, when; no staff IP addresses, request ids or metadata (admins read the full ``AuditEntry``).

        Attributes:
            object_id (str):
            actor (str):
            action (str):
            entity_type (str):
            entity_id (str):
            created_at (str):
            actor_name (None | str | Unset):
    """

    object_id: str
    actor: str
    action: str
    entity_type: str
    entity_id: str
    created_at: str
    actor_name: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        object_id = self.object_id

        actor = self.actor

        action = self.action

        entity_type = self.entity_type

        entity_id = self.entity_id

        created_at = self.created_at

        actor_name: None | str | Unset
        if isinstance(self.actor_name, Unset):
            actor_name = UNSET
        else:
            actor_name = self.actor_name

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "objectId": object_id,
                "actor": actor,
                "action": action,
                "entityType": entity_type,
                "entityId": entity_id,
                "createdAt": created_at,
            }
        )
        if actor_name is not UNSET:
            field_dict["actorName"] = actor_name

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        object_id = d.pop("objectId")

        actor = d.pop("actor")

        action = d.pop("action")

        entity_type = d.pop("entityType")

        entity_id = d.pop("entityId")

        created_at = d.pop("createdAt")

        def _parse_actor_name(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        actor_name = _parse_actor_name(d.pop("actorName", UNSET))

        access_log_entry = cls(
            object_id=object_id,
            actor=actor,
            action=action,
            entity_type=entity_type,
            entity_id=entity_id,
            created_at=created_at,
            actor_name=actor_name,
        )

        access_log_entry.additional_properties = d
        return access_log_entry

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
