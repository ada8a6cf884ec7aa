"""The audit trail is append-only by IAM: no role in the app may update or delete an audit entry or a
digest. Every statement of the synthesized template that names the audit table or the digest bucket
is checked, so a grant added anywhere later is caught."""

from __future__ import annotations

import json
from typing import Any

import pytest

from infra import catalog
from tests.infra.conftest import Synthesis

pytestmark = pytest.mark.infra

ALLOWED_ON_AUDIT_TABLE = {
    "dynamodb:PutItem",  # new entries only: the code puts with attribute_not_exists
    "dynamodb:GetItem",
    "dynamodb:BatchGetItem",
    "dynamodb:Query",
    "dynamodb:ConditionCheckItem",
}
ALLOWED_ON_DIGESTS = {"s3:PutObject", "s3:GetObject", "s3:GetObjectVersion", "s3:ListBucketVersions"}


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _statements(synthesis: Synthesis) -> list[tuple[str, dict[str, Any]]]:
    """(policy logical id, statement) of every identity policy, managed or inline, in the template."""
    found = []
    for key, resource in synthesis.template["Resources"].items():
        properties = resource.get("Properties", {})
        if resource["Type"] in ("AWS::IAM::ManagedPolicy", "AWS::IAM::Policy"):
            documents = [properties["PolicyDocument"]]
        elif resource["Type"] == "AWS::IAM::Role":
            documents = [policy["PolicyDocument"] for policy in properties.get("Policies", [])]
        else:
            continue
        found += [(key, statement) for document in documents for statement in document["Statement"]]
    return found


def _names(statement: dict[str, Any], prefix: str) -> bool:
    return any(prefix in json.dumps(resource) for resource in _list(statement.get("Resource", [])))


def _policy_roles(synthesis: Synthesis, policy_id: str) -> list[str]:
    roles = synthesis.template["Resources"][policy_id]["Properties"].get("Roles", [])
    return [role["Ref"] for role in roles]


def _appenders(synthesis: Synthesis) -> set[str]:
    """Logical ids of the roles of functions declaring ('AuditLog', 'append')."""
    roles = set()
    for spec in catalog.FUNCTIONS:
        if ("AuditLog", "append") in spec.uses:
            roles |= {
                key for key in synthesis.resources("AWS::IAM::Role") if key.startswith(f"Functions{spec.name}Role")
            }
    return roles


def test_no_role_may_update_or_delete_audit_entries(synthesis: Synthesis) -> None:
    naming = [(policy, s) for policy, s in _statements(synthesis) if _names(s, "DataAuditLog")]
    assert naming, "expected grants on the audit table"
    appenders = _appenders(synthesis)
    for name in ("auditwriter", "audit", "patients"):
        assert any(role.startswith(f"Functions{name}Role") for role in appenders), name
    for policy, statement in naming:
        actions = {str(action) for action in _list(statement["Action"])}
        assert statement["Effect"] == "Allow"
        assert actions <= ALLOWED_ON_AUDIT_TABLE, (policy, actions - ALLOWED_ON_AUDIT_TABLE)
        if "dynamodb:PutItem" in actions:
            assert set(_policy_roles(synthesis, policy)) <= appenders, policy


def test_no_role_may_delete_or_overwrite_digests(synthesis: Synthesis) -> None:
    naming = [(policy, s) for policy, s in _statements(synthesis) if _names(s, "BucketsAuditDigests")]
    assert naming
    for policy, statement in naming:
        actions = {str(action) for action in _list(statement["Action"])}
        s3_actions = {action for action in actions if action.startswith("s3:")}
        assert s3_actions <= ALLOWED_ON_DIGESTS, (policy, s3_actions - ALLOWED_ON_DIGESTS)


def test_only_the_digest_function_may_put_digests_and_only_once(synthesis: Synthesis) -> None:
    putting = {
        policy
        for policy, statement in _statements(synthesis)
        if _names(statement, "BucketsAuditDigests")
        and "s3:PutObject" in _list(statement["Action"])
        and statement.get("Effect") == "Allow"
    }
    assert putting == {
        key for key in synthesis.resources("AWS::IAM::ManagedPolicy") if key.startswith("FunctionsauditdigestRole")
    }
    (policy,) = [
        r for r in synthesis.resources("AWS::S3::BucketPolicy").values()
        if "BucketsAuditDigests" in json.dumps(r["Properties"]["Bucket"])
    ]  # fmt: skip
    (write_once,) = [s for s in policy["Properties"]["PolicyDocument"]["Statement"] if s.get("Sid") == "WriteOnceOnly"]
    assert write_once["Effect"] == "Deny"
    assert write_once["Principal"] == {"AWS": "*"}
    assert write_once["Action"] == "s3:PutObject"
    assert write_once["Condition"] == {"Null": {"s3:if-none-match": "true"}}


def test_digests_are_locked_in_compliance_mode_for_the_context_period(synthesis: Synthesis) -> None:
    (bucket,) = [
        r for key, r in synthesis.resources("AWS::S3::Bucket").items() if key.startswith("BucketsAuditDigests")
    ]
    rule = bucket["Properties"]["ObjectLockConfiguration"]["Rule"]["DefaultRetention"]
    assert rule == {"Mode": "COMPLIANCE", "Days": 2192}
    assert bucket["Properties"]["ObjectLockEnabled"] is True
    assert bucket["DeletionPolicy"] == "Retain"


def test_the_audit_table_has_no_ttl(synthesis: Synthesis) -> None:
    (audit_log,) = [
        r for key, r in synthesis.resources("AWS::DynamoDB::GlobalTable").items() if key.startswith("DataAuditLog")
    ]
    assert "TimeToLiveSpecification" not in audit_log["Properties"]
