from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="SsoTokenRequest")


@_attrs_define
class SsoTokenRequest:
    """Bounded here; what makes a grant valid (the code, the verifier's form and match, the redirect URI) is the
    exchange's to judge: any of them wrong is a 400, as OAuth's ``invalid_grant``.

        Attributes:
            code (str):
            code_verifier (str):
            redirect_uri (str):
    """

    code: str
    code_verifier: str
    redirect_uri: str

    def to_dict(self) -> dict[str, Any]:
        code = self.code

        code_verifier = self.code_verifier

        redirect_uri = self.redirect_uri

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "code": code,
                "codeVerifier": code_verifier,
                "redirectUri": redirect_uri,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        code = d.pop("code")

        code_verifier = d.pop("codeVerifier")

        redirect_uri = d.pop("redirectUri")

        sso_token_request = cls(
            code=code,
            code_verifier=code_verifier,
            redirect_uri=redirect_uri,
        )

        return sso_token_request
