"""A fuzz test of POST /graphql: documents generated from the schema by hypothesis-graphql (valid queries and
mutations, arbitrary arguments), sent as an admin and as a patient. Never a 5xx; every error shaped as
API.md says (``extensions.code`` one of the contract's codes, ``extensions.status`` a 4xx); a 200 carries
``data``, a 400 errors only. Derandomized: the same cases on every run (``CASES`` per caller)."""

from __future__ import annotations

from typing import Any

import pytest
from graphql import NameNode, ObjectFieldNode
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis_graphql import mutations, nodes, queries

from graphqlapi.execution import CODES, TOO_COMPLEX
from graphqlapi.schema import schema
from tests.support.api import Api
from tests.support.cast import Cast

CASES = 120
"""Documents per caller (two callers: 240 requests, about 10 s)."""
ALLOWED_CODES = {*CODES.values(), TOO_COMPLEX}


def _json_node(value: Any) -> Any:
    if isinstance(value, bool):
        return nodes.Boolean(value)
    if isinstance(value, int):
        return nodes.Int(value)
    if isinstance(value, str):
        return nodes.String(value)
    if isinstance(value, dict):
        return nodes.Object([ObjectFieldNode(name=NameNode(value=k), value=_json_node(v)) for k, v in value.items()])
    return nodes.Null


JSON_VALUES = st.one_of(
    st.integers(-1000, 1000),
    st.text(max_size=12),
    st.dictionaries(st.sampled_from(["bpm", "spo2", "systolic", "unit", "x"]), st.integers(0, 300), max_size=3),
)
SCALARS = {"JSON": JSON_VALUES.map(_json_node)}
DOCUMENTS = st.one_of(queries(schema(), custom_scalars=SCALARS), mutations(schema(), custom_scalars=SCALARS))
"""Queries and mutations, valid against the schema (arguments and inputs of the right types, any values)."""


def _check(response: Any, document: str) -> None:
    assert response.status < 500, (document, response)
    assert response.status in (200, 400), (document, response)
    body = response.json()
    if response.status == 400:
        assert "data" not in body, (document, body)
        assert body["errors"], (document, body)
    else:
        assert "data" in body, (document, body)
    for error in body.get("errors", []):
        assert isinstance(error["message"], str), (document, error)
        assert error["extensions"]["code"] in ALLOWED_CODES, (document, error)
        assert 400 <= error["extensions"]["status"] < 500, (document, error)


@pytest.mark.parametrize("caller", ["admin", "patient"])
def test_generated_documents_get_no_5xx_and_shaped_errors(api: Api, cast: Cast, caller: str) -> None:
    token = getattr(cast, caller).access_token

    @settings(
        max_examples=CASES,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    )
    @given(document=DOCUMENTS)
    def run(document: str) -> None:
        _check(api.post("/graphql", token=token, json={"query": document}), document)

    run()
