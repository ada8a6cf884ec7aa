from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.lab_result_update_status_type_0 import LabResultUpdateStatusType0
from ..types import UNSET, Unset

T = TypeVar("T", bound="LabResultUpdate")


@_attrs_define
class LabResultUpdate:
    """
    Attributes:
        ordered_by (None | str | Unset):
        test_code (None | str | Unset):
        test_name (None | str | Unset):
        result_value (float | int | None | str | Unset):
        units (None | str | Unset):
        reference_range (None | str | Unset):
        status (LabResultUpdateStatusType0 | None | Unset): preliminary → final | cancelled; final → amended; amended →
            amended. A final or amended result changes only by an amendment, which needs a reason.
        reason (None | str | Unset): Why the result changes (required for an amendment)
        attachments (list[str] | None | Unset):
    """

    ordered_by: None | str | Unset = UNSET
    test_code: None | str | Unset = UNSET
    test_name: None | str | Unset = UNSET
    result_value: float | int | None | str | Unset = UNSET
    units: None | str | Unset = UNSET
    reference_range: None | str | Unset = UNSET
    status: LabResultUpdateStatusType0 | None | Unset = UNSET
    reason: None | str | Unset = UNSET
    attachments: list[str] | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
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

        test_name: None | str | Unset
        if isinstance(self.test_name, Unset):
            test_name = UNSET
        else:
            test_name = self.test_name

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

        status: None | str | Unset
        if isinstance(self.status, Unset):
            status = UNSET
        elif isinstance(self.status, LabResultUpdateStatusType0):
            status = self.status.value
        else:
            status = self.status

        reason: None | str | Unset
        if isinstance(self.reason, Unset):
            reason = UNSET
        else:
            reason = self.reason

        attachments: list[str] | None | Unset
        if isinstance(self.attachments, Unset):
            attachments = UNSET
        elif isinstance(self.attachments, list):
            attachments = self.attachments

        else:
            attachments = self.attachments

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if ordered_by is not UNSET:
            field_dict["orderedBy"] = ordered_by
        if test_code is not UNSET:
            field_dict["testCode"] = test_code
        if test_name is not UNSET:
            field_dict["testName"] = test_name
        if result_value is not UNSET:
            field_dict["resultValue"] = result_value
        if units is not UNSET:
            field_dict["units"] = units
        if reference_range is not UNSET:
            field_dict["referenceRange"] = reference_range
        if status is not UNSET:
            field_dict["status"] = status
        if reason is not UNSET:
            field_dict["reason"] = reason
        if attachments is not UNSET:
            field_dict["attachments"] = attachments

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

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

        def _parse_test_name(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        test_name = _parse_test_name(d.pop("testName", UNSET))

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

        def _parse_status(data: object) -> LabResultUpdateStatusType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                status_type_0 = LabResultUpdateStatusType0(data)

                return status_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(LabResultUpdateStatusType0 | None | Unset, data)

        status = _parse_status(d.pop("status", UNSET))

        def _parse_reason(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        reason = _parse_reason(d.pop("reason", UNSET))

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

        lab_result_update = cls(
            ordered_by=ordered_by,
            test_code=test_code,
            test_name=test_name,
            result_value=result_value,
            units=units,
            reference_range=reference_range,
            status=status,
            reason=reason,
            attachments=attachments,
        )

        return lab_result_update
