"""Operations: the alarms ``infra.alarms.plan`` derives from the declarations, an encrypted SNS topic they
notify, and a CloudWatch dashboard; a nested stack of its own (a concern apart, and some 80 resources the
main stack's budget need not carry).
"""

from __future__ import annotations

from dataclasses import dataclass

from aws_cdk import Duration, NestedStack
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_cloudwatch_actions as actions
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_sns as sns
from aws_cdk import aws_sns_subscriptions as subscriptions
from aws_cdk import aws_sqs as sqs
from constructs import Construct

from infra.alarms import AlarmSpec

COMPARISONS = {
    "gte": cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    "gt": cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
    "lt": cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
}
CUSTOM_NAMESPACE = "RPM"
"""The namespace the functions' Powertools metrics are published in (dimension ``service``: ``rpm-<name>``)."""


@dataclass(frozen=True)
class Watched:
    """What the alarms watch, from the main stack."""

    functions: dict[str, lambda_.IFunction]
    dead_letters: dict[str, sqs.IQueue]
    """By alarm subject: a function name, or ``queue:<name>`` for a declared queue's dead letter."""
    http_api_id: str


class Operations(NestedStack):
    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        alarms: tuple[AlarmSpec, ...],
        watched: Watched,
        emails: tuple[str, ...],
        stage: str,
    ) -> None:
        super().__init__(scope, construct_id, description=f"Remote patient monitoring: alarms and dashboard ({stage})")
        self.watched = watched
        key = kms.Key(
            self,
            "TopicKey",
            description="Encrypts the operations topic; CloudWatch alarms may use it to publish",
            enable_key_rotation=True,
        )
        key.grant(iam.ServicePrincipal("cloudwatch.amazonaws.com"), "kms:Decrypt", "kms:GenerateDataKey*")
        self.topic = sns.Topic(self, "Topic", display_name="RPM operations alarms", master_key=key, enforce_ssl=True)
        for email in emails:
            self.topic.add_subscription(subscriptions.EmailSubscription(email))
        self.alarms: dict[str, cloudwatch.Alarm] = {}
        for spec in alarms:
            alarm = cloudwatch.Alarm(
                self,
                spec.id,
                alarm_description=spec.description,
                metric=self.metric(spec),
                threshold=spec.threshold,
                comparison_operator=COMPARISONS[spec.comparison],
                evaluation_periods=1,
                treat_missing_data=cloudwatch.TreatMissingData.BREACHING
                if spec.missing_data_breaches
                else cloudwatch.TreatMissingData.NOT_BREACHING,
            )
            alarm.add_alarm_action(actions.SnsAction(self.topic))
            alarm.add_ok_action(actions.SnsAction(self.topic))
            self.alarms[spec.id] = alarm
        self.dashboard = self._dashboard(alarms)

    def metric(self, spec: AlarmSpec) -> cloudwatch.IMetric:
        period = Duration.minutes(spec.period_minutes)
        if spec.source == "function":
            function = self.watched.functions[spec.subject]
            return function.metric(spec.metric, statistic=spec.statistic, period=period)
        if spec.source == "dead_letter":
            queue = self.watched.dead_letters[spec.subject]
            return queue.metric_approximate_number_of_messages_visible(statistic=spec.statistic, period=period)
        if spec.source == "topic_rule":
            return cloudwatch.Metric(
                namespace="AWS/IoT",
                metric_name=spec.metric,
                dimensions_map={"RuleName": spec.subject, "ActionType": "SQS"},
                statistic=spec.statistic,
                period=period,
            )
        if spec.source == "http_api":
            return self._api_metric(spec, period)
        return self._custom_metric(spec, period)

    def _api_metric(self, spec: AlarmSpec, period: Duration) -> cloudwatch.IMetric:
        def api(name: str, statistic: str = "Sum") -> cloudwatch.Metric:
            return cloudwatch.Metric(
                namespace="AWS/ApiGateway",
                metric_name=name,
                dimensions_map={"ApiId": self.watched.http_api_id},
                statistic=statistic,
                period=period,
            )

        if spec.metric == "5xxRate":
            return cloudwatch.MathExpression(
                expression="IF(requests > 0, 100 * errors / requests, 0)",
                using_metrics={"errors": api("5xx"), "requests": api("Count")},
                label="5xx %",
                period=period,
            )
        return api(spec.metric, spec.statistic)

    def _custom_metric(self, spec: AlarmSpec, period: Duration) -> cloudwatch.IMetric:
        def custom(name: str, statistic: str = "Sum") -> cloudwatch.Metric:
            return cloudwatch.Metric(
                namespace=CUSTOM_NAMESPACE,
                metric_name=name,
                dimensions_map={"service": f"rpm-{spec.subject}"},
                statistic=statistic,
                period=period,
            )

        if spec.metric == "ReadingsRejectedRate":
            return cloudwatch.MathExpression(
                expression="IF(rejected + stored + duplicate > 0, 100 * rejected / (rejected + stored + duplicate), 0)",
                using_metrics={
                    "rejected": custom("ReadingsRejected"),
                    "stored": custom("ReadingsStored"),
                    "duplicate": custom("ReadingsDuplicate"),
                },
                label="rejected %",
                period=period,
            )
        return custom(spec.metric, spec.statistic)

    def _dashboard(self, alarms: tuple[AlarmSpec, ...]) -> cloudwatch.Dashboard:
        dashboard = cloudwatch.Dashboard(self, "Dashboard", default_interval=Duration.hours(3))
        five = Duration.minutes(5)
        functions = self.watched.functions
        api = {spec.metric: self.metric(spec) for spec in alarms if spec.source == "http_api"}
        dashboard.add_widgets(
            cloudwatch.AlarmStatusWidget(title="Alarms", alarms=list(self.alarms.values()), width=24, height=4)
        )
        dashboard.add_widgets(
            cloudwatch.GraphWidget(title="HTTP API: 5xx %", left=[api["5xxRate"]], width=8),
            cloudwatch.GraphWidget(title="HTTP API: p99 latency (ms)", left=[api["Latency"]], width=8),
            cloudwatch.GraphWidget(
                title="Device readings",
                left=[
                    cloudwatch.Metric(
                        namespace=CUSTOM_NAMESPACE,
                        metric_name=name,
                        dimensions_map={"service": "rpm-ingest"},
                        statistic="Sum",
                        period=five,
                    )
                    for name in ("ReadingsStored", "ReadingsDuplicate", "ReadingsRejected")
                ],
                width=8,
            ),
        )
        dashboard.add_widgets(
            cloudwatch.GraphWidget(
                title="Function errors",
                left=[f.metric_errors(period=five, label=name) for name, f in sorted(functions.items())],
                width=12,
            ),
            cloudwatch.GraphWidget(
                title="Function duration p99 (ms)",
                left=[
                    f.metric_duration(period=five, statistic="p99", label=name) for name, f in sorted(functions.items())
                ],
                width=12,
            ),
        )
        dashboard.add_widgets(
            cloudwatch.GraphWidget(
                title="Dead letters (messages)",
                left=[
                    queue.metric_approximate_number_of_messages_visible(period=five, label=subject)
                    for subject, queue in sorted(self.watched.dead_letters.items())
                ],
                width=12,
            ),
            cloudwatch.GraphWidget(
                title="Stream consumers: iterator age (ms)",
                left=[self.metric(spec) for spec in alarms if spec.metric == "IteratorAge"],
                width=12,
            ),
        )
        return dashboard
