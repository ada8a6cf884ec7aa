from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.candidate_code import CandidateCode
    from ..models.device_period import DevicePeriod


T = TypeVar("T", bound="BillingItem")


@_attrs_define
class BillingItem:
    """
    Attributes:
        patient (str):
        time_zone (str):
        device_periods (list[DevicePeriod]):
        management_minutes (int):
        interactive_contacts (int):
        codes (list[CandidateCode]):
        billing_practitioner (None | str | Unset):
    """

    patient: str
    time_zone: str
    device_periods: list[DevicePeriod]
    management_minutes: int
    interactive_contacts: int
    codes: list[CandidateCode]
    billing_practitioner: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        patient = self.patient

        time_zone = self.time_zone

        device_periods = []
        for device_periods_item_data in self.device_periods:
            device_periods_item = device_periods_item_data.to_dict()
            device_periods.append(device_periods_item)

        management_minutes = self.management_minutes

        interactive_contacts = self.interactive_contacts

        codes = []
        for codes_item_data in self.codes:
            codes_item = codes_item_data.to_dict()
            codes.append(codes_item)

        billing_practitioner: None | str | Unset
        if isinstance(self.billing_practitioner, Unset):
            billing_practitioner = UNSET
        else:
            billing_practitioner = self.billing_practitioner

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "patient": patient,
                "timeZone": time_zone,
                "devicePeriods": device_periods,
                "managementMinutes": management_minutes,
                "interactiveContacts": interactive_contacts,
                "codes": codes,
            }
        )
        if billing_practitioner is not UNSET:
            field_dict["billingPractitioner"] = billing_practitioner

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.candidate_code import CandidateCode  # noqa: PLC0415
        from ..models.device_period import DevicePeriod  # noqa: PLC0415

        d = dict(src_dict)
        patient = d.pop("patient")

        time_zone = d.pop("timeZone")

        device_periods = []
        _device_periods = d.pop("devicePeriods")
        for device_periods_item_data in _device_periods:
            device_periods_item = DevicePeriod.from_dict(device_periods_item_data)

            device_periods.append(device_periods_item)

        management_minutes = d.pop("managementMinutes")

        interactive_contacts = d.pop("interactiveContacts")

        codes = []
        _codes = d.pop("codes")
        for codes_item_data in _codes:
            codes_item = CandidateCode.from_dict(codes_item_data)

            codes.append(codes_item)

        def _parse_billing_practitioner(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        billing_practitioner = _parse_billing_practitioner(d.pop("billingPractitioner", UNSET))

        billing_item = cls(
            patient=patient,
            time_zone=time_zone,
            device_periods=device_periods,
            management_minutes=management_minutes,
            interactive_contacts=interactive_contacts,
            codes=codes,
            billing_practitioner=billing_practitioner,
        )

        billing_item.additional_properties = d
        return billing_item

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
