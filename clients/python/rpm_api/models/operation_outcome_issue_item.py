from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.operation_outcome_issue_item_severity import (
    OperationOutcomeIssueItemSeverity,
)
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.operation_outcome_issue_item_details import (
        OperationOutcomeIssueItemDetails,
    )


T = TypeVar("T", bound="OperationOutcomeIssueItem")


@_attrs_define
class OperationOutcomeIssueItem:
    """
    Attributes:
        severity (OperationOutcomeIssueItemSeverity):
        code (str):
        diagnostics (str | Unset):
        details (OperationOutcomeIssueItemDetails | Unset):
        expression (list[str] | Unset):
    """

    severity: OperationOutcomeIssueItemSeverity
    code: str
    diagnostics: str | Unset = UNSET
    details: OperationOutcomeIssueItemDetails | Unset = UNSET
    expression: list[str] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        severity = self.severity.value

        code = self.code

        diagnostics = self.diagnostics

        details: dict[str, Any] | Unset = UNSET
        if not isinstance(self.details, Unset):
            details = self.details.to_dict()

        expression: list[str] | Unset = UNSET
        if not isinstance(self.expression, Unset):
            expression = self.expression

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "severity": severity,
                "code": code,
            }
        )
        if diagnostics is not UNSET:
            field_dict["diagnostics"] = diagnostics
        if details is not UNSET:
            field_dict["details"] = details
        if expression is not UNSET:
            field_dict["expression"] = expression

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.operation_outcome_issue_item_details import (
            OperationOutcomeIssueItemDetails,  # noqa: PLC0415
        )

        d = dict(src_dict)
        severity = OperationOutcomeIssueItemSeverity(d.pop("severity"))

        code = d.pop("code")

        diagnostics = d.pop("diagnostics", UNSET)

        _details = d.pop("details", UNSET)
        details: OperationOutcomeIssueItemDetails | Unset
        if isinstance(_details, Unset):
            details = UNSET
        else:
            details = OperationOutcomeIssueItemDetails.from_dict(_details)

        expression = cast(list[str], d.pop("expression", UNSET))

        operation_outcome_issue_item = cls(
            severity=severity,
            code=code,
            diagnostics=diagnostics,
            details=details,
            expression=expression,
        )

        operation_outcome_issue_item.additional_properties = d
        return operation_outcome_issue_item

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
