from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="Thread")


@_attrs_define
class Thread:
    """
    Attributes:
        object_id (str):
        thread_id (str):
        patient (str):
        participants (list[str]):
        created_at (datetime.datetime):
        updated_at (datetime.datetime):
        subject (None | str | Unset):
        legal_hold (bool | Unset):  Default: False.
        last_message_at (datetime.datetime | None | Unset):
    """

    object_id: str
    thread_id: str
    patient: str
    participants: list[str]
    created_at: datetime.datetime
    updated_at: datetime.datetime
    subject: None | str | Unset = UNSET
    legal_hold: bool | Unset = False
    last_message_at: datetime.datetime | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        object_id = self.object_id

        thread_id = self.thread_id

        patient = self.patient

        participants = self.participants

        created_at = self.created_at.isoformat()

        updated_at = self.updated_at.isoformat()

        subject: None | str | Unset
        if isinstance(self.subject, Unset):
            subject = UNSET
        else:
            subject = self.subject

        legal_hold = self.legal_hold

        last_message_at: None | str | Unset
        if isinstance(self.last_message_at, Unset):
            last_message_at = UNSET
        elif isinstance(self.last_message_at, datetime.datetime):
            last_message_at = self.last_message_at.isoformat()
        else:
            last_message_at = self.last_message_at

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "objectId": object_id,
                "threadId": thread_id,
                "patient": patient,
                "participants": participants,
                "createdAt": created_at,
                "updatedAt": updated_at,
            }
        )
        if subject is not UNSET:
            field_dict["subject"] = subject
        if legal_hold is not UNSET:
            field_dict["legalHold"] = legal_hold
        if last_message_at is not UNSET:
            field_dict["lastMessageAt"] = last_message_at

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        object_id = d.pop("objectId")

        thread_id = d.pop("threadId")

        patient = d.pop("patient")

        participants = cast(list[str], d.pop("participants"))

        created_at = datetime.datetime.fromisoformat(d.pop("createdAt"))

        updated_at = datetime.datetime.fromisoformat(d.pop("updatedAt"))

        def _parse_subject(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        subject = _parse_subject(d.pop("subject", UNSET))

        legal_hold = d.pop("legalHold", UNSET)

        def _parse_last_message_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                last_message_at_type_0 = datetime.datetime.fromisoformat(data)

                return last_message_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        last_message_at = _parse_last_message_at(d.pop("lastMessageAt", UNSET))

        thread = cls(
            object_id=object_id,
            thread_id=thread_id,
            patient=patient,
            participants=participants,
            created_at=created_at,
            updated_at=updated_at,
            subject=subject,
            legal_hold=legal_hold,
            last_message_at=last_message_at,
        )

        thread.additional_properties = d
        return thread

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
