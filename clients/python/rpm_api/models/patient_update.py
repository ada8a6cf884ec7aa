from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.contact import Contact


T = TypeVar("T", bound="PatientUpdate")


@_attrs_define
class PatientUpdate:
    """
    Attributes:
        medical_record_number (None | str | Unset):
        display_name (None | str | Unset):
        date_of_birth (datetime.date | None | Unset):
        primary_clinic (None | str | Unset):
        contact (Contact | None | Unset):
        time_zone (None | str | Unset):
        billing_practitioner (None | str | Unset): A clinician on the patient's care team; null removes it
        is_active (bool | None | Unset):
    """

    medical_record_number: None | str | Unset = UNSET
    display_name: None | str | Unset = UNSET
    date_of_birth: datetime.date | None | Unset = UNSET
    primary_clinic: None | str | Unset = UNSET
    contact: Contact | None | Unset = UNSET
    time_zone: None | str | Unset = UNSET
    billing_practitioner: None | str | Unset = UNSET
    is_active: bool | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.contact import Contact  # noqa: PLC0415

        medical_record_number: None | str | Unset
        if isinstance(self.medical_record_number, Unset):
            medical_record_number = UNSET
        else:
            medical_record_number = self.medical_record_number

        display_name: None | str | Unset
        if isinstance(self.display_name, Unset):
            display_name = UNSET
        else:
            display_name = self.display_name

        date_of_birth: None | str | Unset
        if isinstance(self.date_of_birth, Unset):
            date_of_birth = UNSET
        elif isinstance(self.date_of_birth, datetime.date):
            date_of_birth = self.date_of_birth.isoformat()
        else:
            date_of_birth = self.date_of_birth

        primary_clinic: None | str | Unset
        if isinstance(self.primary_clinic, Unset):
            primary_clinic = UNSET
        else:
            primary_clinic = self.primary_clinic

        contact: dict[str, Any] | None | Unset
        if isinstance(self.contact, Unset):
            contact = UNSET
        elif isinstance(self.contact, Contact):
            contact = self.contact.to_dict()
        else:
            contact = self.contact

        time_zone: None | str | Unset
        if isinstance(self.time_zone, Unset):
            time_zone = UNSET
        else:
            time_zone = self.time_zone

        billing_practitioner: None | str | Unset
        if isinstance(self.billing_practitioner, Unset):
            billing_practitioner = UNSET
        else:
            billing_practitioner = self.billing_practitioner

        is_active: bool | None | Unset
        if isinstance(self.is_active, Unset):
            is_active = UNSET
        else:
            is_active = self.is_active

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if medical_record_number is not UNSET:
            field_dict["medicalRecordNumber"] = medical_record_number
        if display_name is not UNSET:
            field_dict["displayName"] = display_name
        if date_of_birth is not UNSET:
            field_dict["dateOfBirth"] = date_of_birth
        if primary_clinic is not UNSET:
            field_dict["primaryClinic"] = primary_clinic
        if contact is not UNSET:
            field_dict["contact"] = contact
        if time_zone is not UNSET:
            field_dict["timeZone"] = time_zone
        if billing_practitioner is not UNSET:
            field_dict["billingPractitioner"] = billing_practitioner
        if is_active is not UNSET:
            field_dict["isActive"] = is_active

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.contact import Contact  # noqa: PLC0415

        d = dict(src_dict)

        def _parse_medical_record_number(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        medical_record_number = _parse_medical_record_number(d.pop("medicalRecordNumber", UNSET))

        def _parse_display_name(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        display_name = _parse_display_name(d.pop("displayName", UNSET))

        def _parse_date_of_birth(data: object) -> datetime.date | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                date_of_birth_type_0 = datetime.date.fromisoformat(data)

                return date_of_birth_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.date | None | Unset, data)

        date_of_birth = _parse_date_of_birth(d.pop("dateOfBirth", UNSET))

        def _parse_primary_clinic(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        primary_clinic = _parse_primary_clinic(d.pop("primaryClinic", UNSET))

        def _parse_contact(data: object) -> Contact | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                contact_type_0 = Contact.from_dict(data)

                return contact_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(Contact | None | Unset, data)

        contact = _parse_contact(d.pop("contact", UNSET))

        def _parse_time_zone(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        time_zone = _parse_time_zone(d.pop("timeZone", UNSET))

        def _parse_billing_practitioner(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        billing_practitioner = _parse_billing_practitioner(d.pop("billingPractitioner", UNSET))

        def _parse_is_active(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(bool | None | Unset, data)

        is_active = _parse_is_active(d.pop("isActive", UNSET))

        patient_update = cls(
            medical_record_number=medical_record_number,
            display_name=display_name,
            date_of_birth=date_of_birth,
            primary_clinic=primary_clinic,
            contact=contact,
            time_zone=time_zone,
            billing_practitioner=billing_practitioner,
            is_active=is_active,
        )

        return patient_update
