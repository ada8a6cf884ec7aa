from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..models.signup_request_role import SignupRequestRole
from ..types import UNSET, Unset

T = TypeVar("T", bound="SignupRequest")


@_attrs_define
class SignupRequest:
    """
    Attributes:
        email (str):
        password (str):
        display_name (str):
        role (SignupRequestRole | Unset):  Default: SignupRequestRole.PATIENT.
    """

    email: str
    password: str
    display_name: str
    role: SignupRequestRole | Unset = SignupRequestRole.PATIENT

    def to_dict(self) -> dict[str, Any]:
        email = self.email

        password = self.password

        display_name = self.display_name

        role: str | Unset = UNSET
        if not isinstance(self.role, Unset):
            role = self.role.value

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "email": email,
                "password": password,
                "displayName": display_name,
            }
        )
        if role is not UNSET:
            field_dict["role"] = role

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        email = d.pop("email")

        password = d.pop("password")

        display_name = d.pop("displayName")

        _role = d.pop("role", UNSET)
        role: SignupRequestRole | Unset
        if isinstance(_role, Unset):
            role = UNSET
        else:
            role = SignupRequestRole(_role)

        signup_request = cls(
            email=email,
            password=password,
            display_name=display_name,
            role=role,
        )

        return signup_request
