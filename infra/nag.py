"""cdk-nag 3 wiring: the rule packs the app is checked against, and acknowledgements with reasons."""

from __future__ import annotations

from typing import cast

from aws_cdk import Acknowledgment, App, CfnElement, Stack, Validations
from cdk_nag import AwsSolutionsChecks, HIPAASecurityChecks
from constructs import Construct, IConstruct

PACK_PREFIXES = {"AwsSolutions": "AwsSolutions", "HIPAA.Security": "HIPAA.Security"}
"""Rule id prefix → the validation plugin name that reports it."""


def add_nag_packs(app: App) -> None:
    Validations.of(app).add_plugins(HIPAASecurityChecks(app), AwsSolutionsChecks(app))


def validation_id(rule: str) -> str:
    """``AwsSolutions-L1`` → ``AwsSolutions::AwsSolutions-L1``: the id cdk-nag 3 findings carry."""
    pack = rule.split("-", 1)[0]
    return f"{PACK_PREFIXES[pack]}::{rule}"


def acknowledge(construct: IConstruct, rule: str, reason: str) -> None:
    """Acknowledge one cdk-nag finding (``Rule`` or ``Rule[Finding]``) on a construct and its children."""
    Validations.of(construct).acknowledge(Acknowledgment(id=validation_id(rule), reason=reason))


def logical_id(construct: Construct) -> str:
    stack = Stack.of(construct)
    return str(stack.resolve(stack.get_logical_id(cast(CfnElement, construct.node.default_child))))


def as_finding(resolved: object) -> str:
    """A resolved ARN as cdk-nag prints it: references as ``<LogicalId>``."""
    if isinstance(resolved, dict) and "Fn::Join" in resolved:
        return "".join(as_finding(part) for part in resolved["Fn::Join"][1])
    if isinstance(resolved, dict) and "Fn::GetAtt" in resolved:
        return f"<{'.'.join(resolved['Fn::GetAtt'])}>"
    if isinstance(resolved, dict) and "Ref" in resolved:
        return f"<{resolved['Ref']}>"
    return str(resolved)
