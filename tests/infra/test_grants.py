"""Every function's role in the synthesized template allows exactly what ``infra.grants`` compiles for it:
the statements the local stack enforces on every call (``infra/local/iam.py``) are the deployed ones."""

from __future__ import annotations

from typing import Any

import pytest

from infra import catalog, grants
from infra.grants import Arn
from rpm_core.data.resources import declared
from tests.infra.conftest import ACCOUNT, REGION, STACK_NAME, Synthesis

PATHS: dict[str, str] = {
    "table": "Data/{name}",
    "stream": "Data/{name}",
    "queue": "Queues/{name}",
    "bucket": "Buckets/{name}",
    "dead_letter": "Functions/{name}Sources/DeadLetter",
    "key": "Encryption/{Name}Key",
    "user_pool": "Auth/UserPool",
    "secret": "CursorSecret/Secret",
    "connections": "WebSocketApis/{name}",
    "log_group": "Functions/{name}/Logs",
}
"""Where each kind of resource lies in the construct tree (``infra/stack.py``)."""
ATTRIBUTES = {"stream": "StreamArn", "secret": None, "connections": None}
"""The attribute the ARN is read from (``Fn::GetAtt``); None: a ``Ref``."""


def logical_id(synthesis: Synthesis, path: str) -> str:
    entries = synthesis.metadata[f"/{STACK_NAME}/{path}/Resource"]
    return str(next(entry["data"] for entry in entries if entry["type"] == "aws:cdk:logicalId"))


def rendered(synthesis: Synthesis, arn: Arn) -> str:
    """``arn`` as the template writes it, with references as ``<LogicalId.Attribute>``."""
    if arn.kind == "any":
        return "*"
    if arn.kind == "iot":
        return f"arn:aws:iot:{REGION}:{ACCOUNT}:{arn.name}{arn.suffix}"
    if arn.kind == "dead_letter" and catalog.function(arn.name).kind == "schedule":
        path = f"Functions/{arn.name}/DeadLetter"  # a scheduled function's own (asynchronous invocations)
    else:
        path = PATHS[arn.kind].format(name=arn.name, Name=arn.name.capitalize())
    attribute = ATTRIBUTES.get(arn.kind, "Arn")
    reference = f"<{logical_id(synthesis, path)}{'.' + attribute if attribute else ''}>"
    if arn.kind == "connections":
        return f"arn:aws:execute-api:{REGION}:{ACCOUNT}:{reference}{arn.suffix}"
    return reference + arn.suffix


def text_of(value: Any) -> str:
    if isinstance(value, str):
        return value
    if "Fn::GetAtt" in value:
        resource, attribute = value["Fn::GetAtt"]
        return f"<{resource}.{attribute}>"
    if "Ref" in value:
        return f"<{value['Ref']}>"
    if "Fn::Join" in value:
        separator, parts = value["Fn::Join"]
        return str(separator).join(text_of(part) for part in parts)
    raise AssertionError(f"unexpected resource expression {value}")


def role_pairs(synthesis: Synthesis, function: str) -> set[tuple[str, str]]:
    policy = synthesis.template["Resources"][logical_id(synthesis, f"Functions/{function}/Role/Policy")]
    found: set[tuple[str, str]] = set()
    for statement in policy["Properties"]["PolicyDocument"]["Statement"]:
        assert statement["Effect"] == "Allow", statement
        assert "Condition" not in statement, statement  # the local check evaluates no conditions
        actions = statement["Action"] if isinstance(statement["Action"], list) else [statement["Action"]]
        resources = statement["Resource"] if isinstance(statement["Resource"], list) else [statement["Resource"]]
        found |= {(action, text_of(resource)) for action in actions for resource in resources}
    return found


@pytest.mark.infra
@pytest.mark.parametrize("spec", catalog.FUNCTIONS, ids=lambda spec: spec.name)
def test_the_deployed_role_allows_exactly_the_compiled_statements(
    synthesis: Synthesis, spec: catalog.FunctionSpec
) -> None:
    compiled = {(action, rendered(synthesis, arn)) for action, arn in grants.pairs(grants.statements(spec, declared()))}
    deployed = role_pairs(synthesis, spec.name)
    assert deployed - compiled == set(), "the template allows what the local stack would refuse"
    assert compiled - deployed == set(), "the local stack allows what the template does not"


def test_function_statements_name_only_declared_resources_and_no_scan() -> None:
    for spec in catalog.FUNCTIONS:
        for action, arn in grants.pairs(grants.function_statements(spec, declared())):
            assert action not in {"dynamodb:Scan", "dynamodb:BatchWriteItem", "dynamodb:*"}, (spec.name, action)
            assert arn.kind not in ("stream", "dead_letter", "log_group"), (spec.name, arn)
