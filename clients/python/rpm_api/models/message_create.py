from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="MessageCreate")


@_attrs_define
class MessageCreate:
    """
    Attributes:
        recipient (str):
        body (str):
        attachments (list[str] | Unset):
    """

    recipient: str
    body: str
    attachments: list[str] | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        recipient = self.recipient

        body = self.body

        attachments: list[str] | Unset = UNSET
        if not isinstance(self.attachments, Unset):
            attachments = self.attachments

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "recipient": recipient,
                "body": body,
            }
        )
        if attachments is not UNSET:
            field_dict["attachments"] = attachments

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        recipient = d.pop("recipient")

        body = d.pop("body")

        attachments = cast(list[str], d.pop("attachments", UNSET))

        message_create = cls(
            recipient=recipient,
            body=body,
            attachments=attachments,
        )

        return message_create
