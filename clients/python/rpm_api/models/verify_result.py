from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.broken_entry import BrokenEntry


T = TypeVar("T", bound="VerifyResult")


@_attrs_define
class VerifyResult:
    """
    Attributes:
        verified (bool):
        entries_checked (int):
        digests_checked (int):
        first_broken_entry (BrokenEntry | None | Unset):
    """

    verified: bool
    entries_checked: int
    digests_checked: int
    first_broken_entry: BrokenEntry | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.broken_entry import BrokenEntry  # noqa: PLC0415

        verified = self.verified

        entries_checked = self.entries_checked

        digests_checked = self.digests_checked

        first_broken_entry: dict[str, Any] | None | Unset
        if isinstance(self.first_broken_entry, Unset):
            first_broken_entry = UNSET
        elif isinstance(self.first_broken_entry, BrokenEntry):
            first_broken_entry = self.first_broken_entry.to_dict()
        else:
            first_broken_entry = self.first_broken_entry

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "verified": verified,
                "entriesChecked": entries_checked,
                "digestsChecked": digests_checked,
            }
        )
        if first_broken_entry is not UNSET:
            field_dict["firstBrokenEntry"] = first_broken_entry

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.broken_entry import BrokenEntry  # noqa: PLC0415

        d = dict(src_dict)
        verified = d.pop("verified")

        entries_checked = d.pop("entriesChecked")

        digests_checked = d.pop("digestsChecked")

        def _parse_first_broken_entry(data: object) -> BrokenEntry | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                first_broken_entry_type_0 = BrokenEntry.from_dict(data)

                return first_broken_entry_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(BrokenEntry | None | Unset, data)

        first_broken_entry = _parse_first_broken_entry(d.pop("firstBrokenEntry", UNSET))

        verify_result = cls(
            verified=verified,
            entries_checked=entries_checked,
            digests_checked=digests_checked,
            first_broken_entry=first_broken_entry,
        )

        verify_result.additional_properties = d
        return verify_result

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
