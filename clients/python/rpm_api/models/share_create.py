from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="ShareCreate")


@_attrs_define
class ShareCreate:
    """
    Attributes:
        email (str): Who may read: the signed-in user with this verified email
        expires_at (datetime.datetime): When the share ends by itself (in the future)
    """

    email: str
    expires_at: datetime.datetime

    def to_dict(self) -> dict[str, Any]:
        email = self.email

        expires_at = self.expires_at.isoformat()

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "email": email,
                "expiresAt": expires_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        email = d.pop("email")

        expires_at = datetime.datetime.fromisoformat(d.pop("expiresAt"))

        share_create = cls(
            email=email,
            expires_at=expires_at,
        )

        return share_create
