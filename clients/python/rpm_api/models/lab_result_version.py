from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.lab_result_version_status import LabResultVersionStatus
from ..types import UNSET, Unset

T = TypeVar("T", bound="LabResultVersion")


@_attrs_define
class LabResultVersion:
    """The result as it was after one change, with who made the change and in which request.

    Attributes:
        object_id (str):
        patient (str):
        test_name (str):
        status (LabResultVersionStatus):
        version (int): Starts at 1; send it back as If-Match to change the result
        created_by (str):
        updated_by (str):
        created_at (datetime.datetime):
        updated_at (datetime.datetime):
        request_id (str):
        ordered_by (None | str | Unset):
        test_code (None | str | Unset):
        result_value (float | int | None | str | Unset):
        units (None | str | Unset):
        reference_range (None | str | Unset):
        published_at (datetime.datetime | None | Unset):
        attachments (list[str] | None | Unset):
        reason (None | str | Unset):
    """

    object_id: str
    patient: str
    test_name: str
    status: LabResultVersionStatus
    version: int
    created_by: str
    updated_by: str
    created_at: datetime.datetime
    updated_at: datetime.datetime
    request_id: str
    ordered_by: None | str | Unset = UNSET
    test_code: None | str | Unset = UNSET
    result_value: float | int | None | str | Unset = UNSET
    units: None | str | Unset = UNSET
    reference_range: None | str | Unset = UNSET
    published_at: datetime.datetime | None | Unset = UNSET
    attachments: list[str] | None | Unset = UNSET
    reason: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        object_id = self.object_id

        patient = self.patient

        test_name = self.test_name

        status = self.status.value

        version = self.version

        created_by = self.created_by

        updated_by = self.updated_by

        created_at = self.created_at.isoformat()

        updated_at = self.updated_at.isoformat()

        request_id = self.request_id

        ordered_by: None | str | Unset
        if isinstance(self.ordered_by, Unset):
            ordered_by = UNSET
        else:
            ordered_by = self.ordered_by

        test_code: None | str | Unset
        if isinstance(self.test_code, Unset):
            test_code = UNSET
        else:
            test_code = self.test_code

        result_value: float | int | None | str | Unset
        if isinstance(self.result_value, Unset):
            result_value = UNSET
        else:
            result_value = self.result_value

        units: None | str | Unset
        if isinstance(self.units, Unset):
            units = UNSET
        else:
            units = self.units

        reference_range: None | str | Unset
        if isinstance(self.reference_range, Unset):
            reference_range = UNSET
        else:
            reference_range = self.reference_range

        published_at: None | str | Unset
        if isinstance(self.published_at, Unset):
            published_at = UNSET
        elif isinstance(self.published_at, datetime.datetime):
            published_at = self.published_at.isoformat()
        else:
            published_at = self.published_at

        attachments: list[str] | None | Unset
        if isinstance(self.attachments, Unset):
            attachments = UNSET
        elif isinstance(self.attachments, list):
            attachments = self.attachments

        else:
            attachments = self.attachments

        reason: None | str | Unset
        if isinstance(self.reason, Unset):
            reason = UNSET
        else:
            reason = self.reason

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "objectId": object_id,
                "patient": patient,
                "testName": test_name,
                "status": status,
                "version": version,
                "createdBy": created_by,
                "updatedBy": updated_by,
                "createdAt": created_at,
                "updatedAt": updated_at,
                "requestId": request_id,
            }
        )
        if ordered_by is not UNSET:
            field_dict["orderedBy"] = ordered_by
        if test_code is not UNSET:
            field_dict["testCode"] = test_code
        if result_value is not UNSET:
            field_dict["resultValue"] = result_value
        if units is not UNSET:
            field_dict["units"] = units
        if reference_range is not UNSET:
            field_dict["referenceRange"] = reference_range
        if published_at is not UNSET:
            field_dict["publishedAt"] = published_at
        if attachments is not UNSET:
            field_dict["attachments"] = attachments
        if reason is not UNSET:
            field_dict["reason"] = reason

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        object_id = d.pop("objectId")

        patient = d.pop("patient")

        test_name = d.pop("testName")

        status = LabResultVersionStatus(d.pop("status"))

        version = d.pop("version")

        created_by = d.pop("createdBy")

        updated_by = d.pop("updatedBy")

        created_at = datetime.datetime.fromisoformat(d.pop("createdAt"))

        updated_at = datetime.datetime.fromisoformat(d.pop("updatedAt"))

        request_id = d.pop("requestId")

        def _parse_ordered_by(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        ordered_by = _parse_ordered_by(d.pop("orderedBy", UNSET))

        def _parse_test_code(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        test_code = _parse_test_code(d.pop("testCode", UNSET))

        def _parse_result_value(data: object) -> float | int | None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | int | None | str | Unset, data)

        result_value = _parse_result_value(d.pop("resultValue", UNSET))

        def _parse_units(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        units = _parse_units(d.pop("units", UNSET))

        def _parse_reference_range(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        reference_range = _parse_reference_range(d.pop("referenceRange", UNSET))

        def _parse_published_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                published_at_type_0 = datetime.datetime.fromisoformat(data)

                return published_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        published_at = _parse_published_at(d.pop("publishedAt", UNSET))

        def _parse_attachments(data: object) -> list[str] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                attachments_type_0 = cast(list[str], data)

                return attachments_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[str] | None | Unset, data)

        attachments = _parse_attachments(d.pop("attachments", UNSET))

        def _parse_reason(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        reason = _parse_reason(d.pop("reason", UNSET))

        lab_result_version = cls(
            object_id=object_id,
            patient=patient,
            test_name=test_name,
            status=status,
            version=version,
            created_by=created_by,
            updated_by=updated_by,
            created_at=created_at,
            updated_at=updated_at,
            request_id=request_id,
            ordered_by=ordered_by,
            test_code=test_code,
            result_value=result_value,
            units=units,
            reference_range=reference_range,
            published_at=published_at,
            attachments=attachments,
            reason=reason,
        )

        lab_result_version.additional_properties = d
        return lab_result_version

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
