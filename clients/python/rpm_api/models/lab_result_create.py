from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.lab_result_create_status import LabResultCreateStatus
from ..types import UNSET, Unset

T = TypeVar("T", bound="LabResultCreate")


@_attrs_define
class LabResultCreate:
    """
    Attributes:
        test_name (str):
        ordered_by (None | str | Unset): User id of the ordering clinician
        test_code (None | str | Unset): e.g. a LOINC code
        result_value (float | int | None | str | Unset):
        units (None | str | Unset):
        reference_range (None | str | Unset):
        status (LabResultCreateStatus | Unset):  Default: LabResultCreateStatus.PRELIMINARY.
        attachments (list[str] | None | Unset):
    """

    test_name: str
    ordered_by: None | str | Unset = UNSET
    test_code: None | str | Unset = UNSET
    result_value: float | int | None | str | Unset = UNSET
    units: None | str | Unset = UNSET
    reference_range: None | str | Unset = UNSET
    status: LabResultCreateStatus | Unset = LabResultCreateStatus.PRELIMINARY
    attachments: list[str] | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        test_name = self.test_name

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

        status: str | Unset = UNSET
        if not isinstance(self.status, Unset):
            status = self.status.value

        attachments: list[str] | None | Unset
        if isinstance(self.attachments, Unset):
            attachments = UNSET
        elif isinstance(self.attachments, list):
            attachments = self.attachments

        else:
            attachments = self.attachments

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "testName": test_name,
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
        if status is not UNSET:
            field_dict["status"] = status
        if attachments is not UNSET:
            field_dict["attachments"] = attachments

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        test_name = d.pop("testName")

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

        _status = d.pop("status", UNSET)
        status: LabResultCreateStatus | Unset
        if isinstance(_status, Unset):
            status = UNSET
        else:
            status = LabResultCreateStatus(_status)

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

        lab_result_create = cls(
            test_name=test_name,
            ordered_by=ordered_by,
            test_code=test_code,
            result_value=result_value,
            units=units,
            reference_range=reference_range,
            status=status,
            attachments=attachments,
        )

        return lab_result_create
