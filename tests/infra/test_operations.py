"""Alarms and the dashboard come from the declarations (``infra.alarms.plan``): every function, queue, stream
consumer and topic rule has its alarms, a new one gets them by being declared, and each notifies the
encrypted operations topic."""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

import pytest

from infra import alarms, catalog
from infra.catalog import FUNCTIONS, FunctionSpec
from rpm_core.data.resources import QUEUES, TOPIC_RULES, QueueSpec
from tests.infra.conftest import Synthesis


def planned(stage: alarms.Stage = "prod", **extra: Any) -> dict[str, alarms.AlarmSpec]:
    specs = alarms.plan(
        functions=(*FUNCTIONS, *extra.get("functions", ())),
        queues=(*QUEUES, *extra.get("queues", ())),
        topic_rules=TOPIC_RULES,
        stage=stage,
    )
    return {spec.id: spec for spec in specs}


def operations(synthesis: Synthesis) -> dict[str, dict[str, Any]]:
    resources: dict[str, dict[str, Any]] = synthesis.nested["Operations"]["Resources"]
    return resources


def of_type(synthesis: Synthesis, resource_type: str) -> dict[str, dict[str, Any]]:
    return {key: r for key, r in operations(synthesis).items() if r["Type"] == resource_type}


# --- the plan: from the declarations ------------------------------------------------------------


def test_a_new_function_queue_and_stream_consumer_get_their_alarms_by_being_declared() -> None:
    consumer = FunctionSpec(
        name="fixturesync",
        kind="stream",
        description="a fixture stream consumer",
        uses=(("CareTeams", "stream"),),
    )
    queue = QueueSpec(name="FixtureJobs", purpose="a fixture queue")
    before = planned()
    after = planned(functions=[consumer], queues=[queue])
    assert set(after) - set(before) == {
        "fixturesyncErrors",
        "fixturesyncThrottles",
        "fixturesyncIteratorAge",
        "fixturesyncDeadLetter",
        "FixtureJobsDeadLetter",
    }
    assert after["fixturesyncDeadLetter"].subject == "fixturesync"
    assert after["FixtureJobsDeadLetter"].subject == "queue:FixtureJobs"


@pytest.mark.parametrize("spec", FUNCTIONS, ids=lambda spec: spec.name)
def test_every_function_has_error_and_throttle_alarms(spec: FunctionSpec) -> None:
    plan = planned()
    assert plan[f"{spec.name}Errors"].metric == "Errors"
    assert plan[f"{spec.name}Throttles"].metric == "Throttles"
    source = spec.function_kind.event_source
    assert (f"{spec.name}IteratorAge" in plan) == (source == "stream")
    assert (f"{spec.name}DeadLetter" in plan) == (source in ("stream", "schedule"))


def test_every_declared_queue_and_topic_rule_is_watched() -> None:
    plan = planned()
    for queue in QUEUES:
        assert plan[f"{queue.name}DeadLetter"].metric == "ApproximateNumberOfMessagesVisible"
    for rule in TOPIC_RULES:
        assert plan[f"{rule.name}RuleFailures"].source == "topic_rule"
    assert {"Api5xxRate", "ApiLatencyP99", "ingestRejectedRate", "auditverifyChainBroken"} <= set(plan)


def test_prod_wakes_someone_sooner_than_dev() -> None:
    dev, prod = planned("dev"), planned("prod")
    for alarm_id in ("ingestErrors", "Api5xxRate", "ApiLatencyP99", "ingestRejectedRate", "notifierIteratorAge"):
        assert prod[alarm_id].threshold < dev[alarm_id].threshold, alarm_id


def test_a_missed_daily_verification_is_an_alarm_too() -> None:
    verification = planned()["auditverifyChainBroken"]
    assert verification.missing_data_breaches
    assert verification.period_minutes == catalog.function("auditverify").every_minutes


def test_alarm_ids_are_unique() -> None:
    duplicate = replace(catalog.function("ingest"))  # the same function declared twice
    with pytest.raises(ValueError, match="unique"):
        alarms.plan(functions=(*FUNCTIONS, duplicate), queues=QUEUES, topic_rules=TOPIC_RULES, stage="prod")


# --- the synthesized operations stack -----------------------------------------------------------


def test_every_planned_alarm_is_deployed_and_notifies_the_topic(synthesis: Synthesis) -> None:
    deployed = of_type(synthesis, "AWS::CloudWatch::Alarm")
    (topic_id,) = of_type(synthesis, "AWS::SNS::Topic")
    assert len(deployed) == len(planned())
    for logical_id, alarm in deployed.items():
        props = alarm["Properties"]
        assert props["AlarmActions"] == [{"Ref": topic_id}], logical_id
        assert props["OKActions"] == [{"Ref": topic_id}], logical_id
        assert props["AlarmDescription"]
    described = {alarm["Properties"]["AlarmDescription"] for alarm in deployed.values()}
    assert described == {spec.description for spec in planned().values()}


def test_function_alarms_name_their_function(synthesis: Synthesis) -> None:
    stack = synthesis.nested["Operations"]
    deployed = of_type(synthesis, "AWS::CloudWatch::Alarm")
    errors = [a["Properties"] for a in deployed.values() if a["Properties"].get("MetricName") == "Errors"]
    assert len(errors) == len(FUNCTIONS)
    for props in errors:
        (dimension,) = props["Dimensions"]
        assert dimension["Name"] == "FunctionName"
        assert "Ref" in dimension["Value"]  # the deployed function's name, passed in from the main stack
        assert dimension["Value"]["Ref"] in stack["Parameters"]


def test_the_topic_is_encrypted_and_refuses_plain_http(synthesis: Synthesis) -> None:
    (topic,) = of_type(synthesis, "AWS::SNS::Topic").values()
    assert "KmsMasterKeyId" in topic["Properties"]
    (policy,) = of_type(synthesis, "AWS::SNS::TopicPolicy").values()
    statements = policy["Properties"]["PolicyDocument"]["Statement"]
    plain_http = {"Bool": {"aws:SecureTransport": "false"}}
    assert any(s["Effect"] == "Deny" and s["Condition"] == plain_http for s in statements)
    (key,) = of_type(synthesis, "AWS::KMS::Key").values()
    assert key["Properties"]["EnableKeyRotation"] is True
    assert "cloudwatch.amazonaws.com" in json.dumps(key["Properties"]["KeyPolicy"])  # alarms may publish


def test_one_dashboard_shows_the_alarms(synthesis: Synthesis) -> None:
    (dashboard,) = of_type(synthesis, "AWS::CloudWatch::Dashboard").values()
    body = json.dumps(dashboard["Properties"]["DashboardBody"])
    for title in ("Alarms", "HTTP API: 5xx %", "Device readings", "Dead letters", "iterator age"):
        assert title in body


def test_the_main_stack_names_the_alarm_topic(synthesis: Synthesis) -> None:
    assert "AlarmTopicArn" in synthesis.template["Outputs"]
