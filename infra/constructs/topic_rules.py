"""IoT Core topic rules, one per ``rpm_core.data.resources.TOPIC_RULES`` spec: the declared SQL,
an SQS action to the declared queue, and an error action to that queue's dead letter."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from aws_cdk import aws_iam as iam
from aws_cdk import aws_iot as iot
from constructs import Construct

from infra.constructs.messaging import Queues
from infra.constructs.roles import ManagedPolicyRole
from infra.nag import acknowledge

if TYPE_CHECKING:
    from rpm_core.data.resources import TopicRuleSpec

IOT_SQL_VERSION = "2016-03-23"


class TopicRules(Construct):
    def __init__(self, scope: Construct, construct_id: str, *, specs: Iterable[TopicRuleSpec], queues: Queues) -> None:
        super().__init__(scope, construct_id)
        self.rules: dict[str, iot.CfnTopicRule] = {}
        specs = list(specs)
        if not specs:
            return
        self.role = ManagedPolicyRole(
            self,
            "Role",
            assumed_by=iam.ServicePrincipal("iot.amazonaws.com"),
            description="IoT rules: send rule output to their declared queues and errors to the dead letters",
        )
        reason = (
            "SQS send grant to a KMS-encrypted queue (kms:GenerateDataKey*/kms:ReEncrypt*), limited to the one "
            "customer-managed data key ARN."
        )
        acknowledge(self.role, "AwsSolutions-IAM5[Action::kms:GenerateDataKey*]", reason)
        acknowledge(self.role, "AwsSolutions-IAM5[Action::kms:ReEncrypt*]", reason)
        for spec in specs:
            queue, dead_letter = queues.by_name[spec.queue], queues.dead_letters[spec.queue]
            queue.grant_send_messages(self.role)
            dead_letter.grant_send_messages(self.role)
            self.rules[spec.name] = iot.CfnTopicRule(
                self,
                spec.name,
                rule_name=spec.name,
                topic_rule_payload=iot.CfnTopicRule.TopicRulePayloadProperty(
                    description=spec.purpose,
                    sql=spec.sql,
                    aws_iot_sql_version=IOT_SQL_VERSION,
                    rule_disabled=False,
                    actions=[self._sqs(queue.queue_url)],
                    error_action=self._sqs(dead_letter.queue_url),
                ),
            )

    def _sqs(self, queue_url: str) -> iot.CfnTopicRule.ActionProperty:
        return iot.CfnTopicRule.ActionProperty(
            sqs=iot.CfnTopicRule.SqsActionProperty(queue_url=queue_url, role_arn=self.role.role_arn, use_base64=False)
        )
