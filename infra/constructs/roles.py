"""An IAM role whose grants land in one customer-managed policy instead of an inline default policy."""

from __future__ import annotations

from typing import Any

from aws_cdk import aws_iam as iam
from constructs import Construct


class ManagedPolicyRole(iam.Role):
    """``grant_*`` calls and ``add_to_principal_policy`` add statements to ``self.policy`` (a ManagedPolicy).

    HIPAA rule IAMNoInlinePolicy asks for managed policies: they are versioned, listed on their own
    and reviewable apart from the role. The policy is attached to this role only.
    """

    def __init__(self, scope: Construct, construct_id: str, **role_props: Any) -> None:
        super().__init__(scope, construct_id, **role_props)
        self.policy = iam.ManagedPolicy(self, "Policy", roles=[self], description=role_props.get("description"))

    def add_to_principal_policy(self, statement: iam.PolicyStatement) -> iam.AddToPrincipalPolicyResult:
        self.policy.add_statements(statement)
        return iam.AddToPrincipalPolicyResult(statement_added=True, policy_dependable=self.policy)
