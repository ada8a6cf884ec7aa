"""GraphQL types made from the contract's pydantic models: one source of truth for REST and GraphQL.

An object type is read from a response model's JSON schema (serialization mode: what REST answers), an
input type from a request model's (validation mode: what REST accepts), so a field added to a model
appears in both surfaces. Strings, numbers and booleans map to GraphQL's scalars; a nested model to its
own type; a free-form object (a reading's ``dataPayload``) or a value of several types (a lab result's
``resultValue``) to the ``JSON`` scalar; enumerations stay strings (their values listed in the
description) so that values such as ``[degF]`` need no renaming. The models still validate every input
(``pydantic``), exactly as REST does.
"""

from __future__ import annotations

from typing import Any

from graphql import (
    GraphQLBoolean,
    GraphQLField,
    GraphQLFloat,
    GraphQLInputField,
    GraphQLInputObjectType,
    GraphQLInputType,
    GraphQLInt,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLScalarType,
    GraphQLString,
    value_from_ast_untyped,
)
from pydantic import BaseModel


def _same(value: Any) -> Any:
    return value


def _literal(node: Any, variables: dict[str, Any] | None = None) -> Any:
    return value_from_ast_untyped(node, variables)


JSONScalar = GraphQLScalarType(
    "JSON",
    description="Any JSON value: a reading's dataPayload, a lab result's resultValue, contact details",
    serialize=_same,
    parse_value=_same,
    parse_literal=_literal,
)

TYPE_NAMES = {"PatientProfile": "Patient"}
"""GraphQL names that differ from the model's (the contract calls a profile a Patient)."""

Extra = dict[str, GraphQLField]


def type_name(model: type[BaseModel] | str) -> str:
    name = model if isinstance(model, str) else model.__name__
    return TYPE_NAMES.get(name, name)


def _description(prop: dict[str, Any]) -> str | None:
    text = prop.get("description")
    values = prop.get("enum") or next((p["enum"] for p in prop.get("anyOf", []) if "enum" in p), None)
    if values:
        listed = "One of: " + ", ".join(str(v) for v in values)
        text = f"{text}. {listed}" if text else listed
    return str(text) if text else None


def _nullable(prop: dict[str, Any]) -> tuple[dict[str, Any], bool]:
    """The property without its ``null`` alternative, and whether it had one."""
    options = prop.get("anyOf")
    if not options:
        return prop, False
    rest = [option for option in options if option.get("type") != "null"]
    if len(rest) == 1:
        return {**rest[0], **{k: v for k, v in prop.items() if k != "anyOf"}}, len(rest) < len(options)
    return {"anyOf": rest}, len(rest) < len(options)


class TypeFactory:
    """Builds each object and input type once; ``extra`` adds fields that are not the model's (connections)."""

    def __init__(self) -> None:
        self.objects: dict[str, GraphQLObjectType] = {}
        self.inputs: dict[str, GraphQLInputObjectType] = {}
        self.extra: dict[str, Any] = {}

    # -- output types -------------------------------------------------------------------------------

    def object(self, model: type[BaseModel], extra: Any = None) -> GraphQLObjectType:
        """``extra``: a function returning fields to add (called lazily, so types may refer to each other)."""
        schema = model.model_json_schema(mode="serialization", ref_template="{model}")
        if extra is not None:
            self.extra[type_name(model)] = extra
        return self._object(type_name(model), schema, schema.get("$defs", {}))

    def _object(self, name: str, schema: dict[str, Any], defs: dict[str, Any]) -> GraphQLObjectType:
        if name in self.objects:
            return self.objects[name]
        required = set(schema.get("required", []))

        def fields() -> dict[str, GraphQLField]:
            own = {
                field: GraphQLField(
                    self._output(prop, defs, non_null=field in required), description=_description(prop)
                )
                for field, prop in schema.get("properties", {}).items()
            }
            more = self.extra.get(name)
            return {**own, **(more() if more else {})}

        self.objects[name] = GraphQLObjectType(name, fields, description=schema.get("description"))
        return self.objects[name]

    def _output(self, prop: dict[str, Any], defs: dict[str, Any], *, non_null: bool) -> GraphQLOutputType:
        inner, had_null = _nullable(prop)
        base: GraphQLOutputType
        if "$ref" in inner and "properties" in defs.get(inner["$ref"], {}):
            base = self._object(type_name(inner["$ref"]), defs[inner["$ref"]], defs)
        elif inner.get("type") == "array":
            base = GraphQLList(GraphQLNonNull(self._output(inner.get("items", {}), defs, non_null=False)))
        else:
            base = _scalar(inner)
        if non_null and not had_null and not isinstance(base, GraphQLNonNull):
            return GraphQLNonNull(base)
        return base

    # -- input types --------------------------------------------------------------------------------

    def input(self, model: type[BaseModel]) -> GraphQLInputObjectType:
        schema = model.model_json_schema(mode="validation", ref_template="{model}")
        return self._input(f"{type_name(model)}Input", schema, schema.get("$defs", {}))

    def _input(self, name: str, schema: dict[str, Any], defs: dict[str, Any]) -> GraphQLInputObjectType:
        if name in self.inputs:
            return self.inputs[name]
        required = set(schema.get("required", []))

        def fields() -> dict[str, GraphQLInputField]:
            return {
                field: GraphQLInputField(
                    self._input_of(prop, defs, non_null=field in required), description=_description(prop)
                )
                for field, prop in schema.get("properties", {}).items()
            }

        self.inputs[name] = GraphQLInputObjectType(name, fields, description=schema.get("description"))
        return self.inputs[name]

    def _input_of(self, prop: dict[str, Any], defs: dict[str, Any], *, non_null: bool) -> GraphQLInputType:
        inner, had_null = _nullable(prop)
        base: GraphQLInputType
        if "$ref" in inner and "properties" in defs.get(inner["$ref"], {}):
            base = self._input(f"{type_name(inner['$ref'])}Input", defs[inner["$ref"]], defs)
        elif inner.get("type") == "array":
            base = GraphQLList(GraphQLNonNull(self._input_of(inner.get("items", {}), defs, non_null=False)))
        else:
            base = _scalar(inner)
        if non_null and not had_null:
            return GraphQLNonNull(base)
        return base


def _scalar(prop: dict[str, Any]) -> GraphQLScalarType:
    kind = prop.get("type")
    if kind == "string":
        return GraphQLString
    if kind == "integer":
        return GraphQLInt
    if kind == "number":
        return GraphQLFloat
    if kind == "boolean":
        return GraphQLBoolean
    return JSONScalar  # objects without declared fields, unions of several types, anything else
