from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="GraphQLRequest")


@_attrs_define
class GraphQLRequest:
    """GraphQL over HTTP: the document, its variables and the operation to run.

    Attributes:
        query (Any | Unset):
        variables (Any | Unset):
        operation_name (Any | Unset):
    """

    query: Any | Unset = UNSET
    variables: Any | Unset = UNSET
    operation_name: Any | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        query = self.query

        variables = self.variables

        operation_name = self.operation_name

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if query is not UNSET:
            field_dict["query"] = query
        if variables is not UNSET:
            field_dict["variables"] = variables
        if operation_name is not UNSET:
            field_dict["operationName"] = operation_name

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        query = d.pop("query", UNSET)

        variables = d.pop("variables", UNSET)

        operation_name = d.pop("operationName", UNSET)

        graph_ql_request = cls(
            query=query,
            variables=variables,
            operation_name=operation_name,
        )

        graph_ql_request.additional_properties = d
        return graph_ql_request

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
