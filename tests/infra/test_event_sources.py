"""Resources and event sources that come from declarations alone: a queue, a bucket notifying it,
a ``stream`` and a ``queue`` function, declared only in this test (names no real function takes),
synthesized with the app and checked by cdk-nag."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import aws_cdk as cdk
import pytest

from infra import assets, catalog
from infra.app import default_context
from infra.nag import add_nag_packs
from infra.settings import settings_of
from infra.stack import RpmStack
from rpm_core.data.resources import BUCKETS, QUEUES, BucketSpec, QueueSpec, TopicRuleSpec, declared
from rpm_core.data.tables import TABLES
from tests.infra.conftest import ACCOUNT, REGION, Synthesis, load

pytestmark = pytest.mark.infra

FIXTURE_QUEUE = QueueSpec(name="FixtureUploads", purpose="test queue", batch_size=5, max_receive_count=4)
FIXTURE_BUCKET = BucketSpec(
    name="FixtureObjects",
    purpose="test bucket",
    object_created_queue="FixtureUploads",
    object_lock_days_context="fixtureLockDays",
    expiration_days_context="fixtureExpirationDays",
)
FIXTURE_RULE = TopicRuleSpec(
    name="fixture_rule",
    sql="SELECT value, topic(3) AS thing, timestamp() AS receivedAt FROM 'fixture/things/+/events'",
    queue="FixtureUploads",
    purpose="test rule",
)
STREAM = catalog.FunctionSpec(
    name="fixturestreamreader",
    kind="stream",
    description="test stream consumer",
    uses=(("Users", "read"), ("Devices", "stream"), ("Patients", "stream")),  # streams with one reader so far
)
QUEUE = catalog.FunctionSpec(
    name="fixturequeuereader",
    kind="queue",
    description="test queue consumer",
    uses=(("FixtureUploads", "consume"), ("FixtureObjects", "write"), ("UniqueKeys", "append")),
)
STACK = "EventSourcesTest"
ALL_QUEUES = (*QUEUES, FIXTURE_QUEUE)
ALL_BUCKETS = (*BUCKETS, FIXTURE_BUCKET)
"""The declared resources (the catalog's functions use them) and this test's own."""


@pytest.fixture(scope="module")
def synthesis(tmp_path_factory: pytest.TempPathFactory) -> Synthesis:
    tmp = tmp_path_factory.mktemp("event-sources")
    (tmp / "deps" / "python").mkdir(parents=True)
    context = {
        **default_context(),
        "account": ACCOUNT,
        "region": REGION,
        "depsLayerPath": str(tmp / "deps"),
        "fixtureLockDays": 30,
        "fixtureExpirationDays": 90,
        "malwareProtection": True,  # off in the main synthesis: both forms pass cdk-nag
        "graphqlIntrospection": True,  # off in the main synthesis (tests/infra/test_stack.py)
    }
    outdir = tmp / "cdk.out"
    app = cdk.App(context=context, outdir=str(outdir))
    functions = (*catalog.FUNCTIONS, STREAM, QUEUE)
    catalog.check(functions, declared(TABLES, ALL_QUEUES, ALL_BUCKETS))
    with pytest.MonkeyPatch.context() as patch:  # each function's asset is its folder: give the fixtures one
        patch.setattr(assets, "FUNCTIONS_DIR", functions_with_fixtures(tmp / "functions"))
        RpmStack(
            app,
            STACK,
            settings=settings_of(app),
            table_specs=TABLES,
            function_specs=functions,
            queue_specs=ALL_QUEUES,
            bucket_specs=ALL_BUCKETS,
            topic_rule_specs=(FIXTURE_RULE,),
            routes=catalog.http_routes(),
            deps_layer_dir=tmp / "deps",
        )
    add_nag_packs(app)
    try:
        app.synth()
    except RuntimeError as failure:
        (outdir / "error.txt").write_text(str(failure))
    return load(outdir, STACK)


def functions_with_fixtures(folder: Path) -> Path:
    """The real functions' folders (linked) and a stub handler for each fixture function."""
    folder.mkdir()
    for real in assets.FUNCTIONS_DIR.iterdir():
        if real.is_dir() and not real.name.startswith((".", "_")):
            (folder / real.name).symlink_to(real, target_is_directory=True)
    for spec in (STREAM, QUEUE):
        (folder / spec.name).mkdir()
        (folder / spec.name / "handler.py").write_text("def lambda_handler(event, context):\n    return None\n")
    return folder


def resources(synthesis: Synthesis, resource_type: str) -> list[dict[str, Any]]:
    return [r["Properties"] for r in synthesis.resources(resource_type).values()]


def _mappings_of(synthesis: Synthesis, spec: catalog.FunctionSpec) -> list[dict[str, Any]]:
    key, _ = _function(synthesis, spec)
    return [m for m in resources(synthesis, "AWS::Lambda::EventSourceMapping") if m["FunctionName"] == {"Ref": key}]


def _function(synthesis: Synthesis, spec: catalog.FunctionSpec) -> tuple[str, dict[str, Any]]:
    (found,) = [
        (key, r["Properties"])
        for key, r in synthesis.resources("AWS::Lambda::Function").items()
        if r["Properties"].get("Handler") == spec.handler
    ]
    return found


def test_declared_resources_pass_cdk_nag(synthesis: Synthesis) -> None:
    findings = synthesis.findings()
    assert findings == [], "\n".join(findings)
    assert synthesis.error is None, synthesis.error
    unused = synthesis.unused_acknowledgements()
    assert unused == [], "\n".join(map(str, unused))


def test_stream_function_reads_each_source_table_as_declared(synthesis: Synthesis) -> None:
    streams = [m for m in _mappings_of(synthesis, STREAM) if "StartingPosition" in m]
    assert len(streams) == len(STREAM.stream_sources) == 2
    for mapping in streams:
        assert mapping["StartingPosition"] == catalog.STREAM_CONSUMPTION.starting_position
        assert mapping["BatchSize"] == catalog.STREAM_CONSUMPTION.batch_size
        assert mapping["BisectBatchOnFunctionError"] is True
        assert mapping["FunctionResponseTypes"] == ["ReportBatchItemFailures"]
        assert mapping["MaximumRetryAttempts"] == catalog.STREAM_CONSUMPTION.retry_attempts
        assert "OnFailure" in mapping["DestinationConfig"]
        assert mapping["EventSourceArn"]["Fn::GetAtt"][1] == "StreamArn"


def test_queue_function_consumes_its_declared_queue(synthesis: Synthesis) -> None:
    (queue_mapping,) = _mappings_of(synthesis, QUEUE)
    assert queue_mapping["FunctionResponseTypes"] == ["ReportBatchItemFailures"]
    assert queue_mapping["BatchSize"] == FIXTURE_QUEUE.batch_size
    assert queue_mapping["EventSourceArn"]["Fn::GetAtt"][0].startswith("QueuesFixtureUploads")


def test_queues_are_encrypted_and_redrive_after_the_declared_receive_count(synthesis: Synthesis) -> None:
    queues = resources(synthesis, "AWS::SQS::Queue")
    # each declared queue and its dead letter, each stream function's dead letter and each scheduled one's
    streams = [spec for spec in catalog.FUNCTIONS if spec.kind in ("stream", "schedule")] + [STREAM]
    assert len(queues) == 2 * len(ALL_QUEUES) + len(streams)
    assert all("KmsMasterKeyId" in queue for queue in queues)
    (redriven,) = [
        r["Properties"]
        for key, r in synthesis.resources("AWS::SQS::Queue").items()
        if key.startswith(f"Queues{FIXTURE_QUEUE.name}") and "RedrivePolicy" in r["Properties"]
    ]
    assert redriven["RedrivePolicy"]["maxReceiveCount"] == FIXTURE_QUEUE.max_receive_count
    assert redriven["VisibilityTimeout"] == FIXTURE_QUEUE.visibility_timeout_seconds


def test_bucket_is_private_encrypted_locked_expiring_and_notifies_its_queue(synthesis: Synthesis) -> None:
    (bucket,) = [
        (key, r) for key, r in synthesis.resources("AWS::S3::Bucket").items() if key.startswith("BucketsFixtureObjects")
    ]
    props = bucket[1]["Properties"]
    assert props["VersioningConfiguration"] == {"Status": "Enabled"}
    assert props["PublicAccessBlockConfiguration"]["BlockPublicAcls"] is True
    encryption = props["BucketEncryption"]["ServerSideEncryptionConfiguration"][0]["ServerSideEncryptionByDefault"]
    assert encryption["SSEAlgorithm"] == "aws:kms"
    assert props["ObjectLockConfiguration"]["Rule"]["DefaultRetention"] == {"Mode": "COMPLIANCE", "Days": 30}
    assert props["LifecycleConfiguration"]["Rules"][0]["ExpirationInDays"] == 90
    assert bucket[1]["DeletionPolicy"] == "Retain"
    (queue_config,) = props["NotificationConfiguration"]["QueueConfigurations"]
    assert queue_config["Event"] == "s3:ObjectCreated:*"
    assert queue_config["Queue"]["Fn::GetAtt"][0].startswith("QueuesFixtureUploads")
    assert resources(synthesis, "Custom::S3BucketNotifications") == []  # no deploy-time Lambda for it


def test_function_environment_names_each_declared_resource(synthesis: Synthesis) -> None:
    _, props = _function(synthesis, QUEUE)
    env = props["Environment"]["Variables"]
    assert {FIXTURE_QUEUE.env_var, FIXTURE_BUCKET.env_var, "TABLE_UNIQUE_KEYS"} <= set(env)


def _statements(synthesis: Synthesis, spec: catalog.FunctionSpec) -> list[dict[str, Any]]:
    _key, props = _function(synthesis, spec)
    role = props["Role"]["Fn::GetAtt"][0]
    return [
        statement
        for policy in synthesis.resources("AWS::IAM::ManagedPolicy").values()
        if {"Ref": role} in policy["Properties"].get("Roles", [])
        for statement in policy["Properties"]["PolicyDocument"]["Statement"]
    ]


def _actions(statement: dict[str, Any]) -> set[str]:
    actions = statement["Action"]
    return {actions} if isinstance(actions, str) else set(actions)


def test_append_access_grants_put_item_only(synthesis: Synthesis) -> None:
    dynamodb_actions = set().union(
        *(_actions(s) for s in _statements(synthesis, QUEUE) if any(a.startswith("dynamodb:") for a in _actions(s)))
    )
    assert dynamodb_actions == {"dynamodb:PutItem"}


def test_bucket_write_access_lists_its_actions(synthesis: Synthesis) -> None:
    s3_actions = set().union(
        *(_actions(s) for s in _statements(synthesis, QUEUE) if any(a.startswith("s3:") for a in _actions(s)))
    )
    assert s3_actions == {
        "s3:GetObject",
        "s3:GetObjectVersion",
        "s3:PutObject",
        "s3:DeleteObject",
        "s3:DeleteObjectVersion",
        "s3:PutObjectTagging",
        "s3:PutObjectVersionTagging",
        "s3:GetObjectTagging",
        "s3:GetObjectVersionTagging",
        "s3:AbortMultipartUpload",
    }


def test_topic_rule_runs_the_declared_sql_into_its_queue_with_an_error_action(synthesis: Synthesis) -> None:
    (rule,) = [r for r in resources(synthesis, "AWS::IoT::TopicRule") if r["RuleName"] == FIXTURE_RULE.name]
    payload = rule["TopicRulePayload"]
    assert rule["RuleName"] == FIXTURE_RULE.name
    assert payload["Sql"] == FIXTURE_RULE.sql
    assert payload["AwsIotSqlVersion"] == "2016-03-23"
    (action,) = payload["Actions"]
    assert action["Sqs"]["QueueUrl"]["Ref"].startswith("QueuesFixtureUploads")
    assert payload["ErrorAction"]["Sqs"]["QueueUrl"]["Ref"].startswith("QueuesFixtureUploadsDeadLetter")


def test_malware_protection_scans_the_upload_prefix_and_the_verifier_waits_for_it(synthesis: Synthesis) -> None:
    (plan,) = resources(synthesis, "AWS::GuardDuty::MalwareProtectionPlan")
    assert plan["ProtectedResource"]["S3Bucket"]["ObjectPrefixes"] == ["uploads/"]
    assert plan["ProtectedResource"]["S3Bucket"]["BucketName"]["Ref"].startswith("BucketsAttachmentFiles")
    assert plan["Actions"] == {"Tagging": {"Status": "ENABLED"}}
    roles = [
        r for r in resources(synthesis, "AWS::IAM::Role")
        if "malware-protection-plan.guardduty.amazonaws.com" in json.dumps(r["AssumeRolePolicyDocument"])
    ]  # fmt: skip
    assert len(roles) == 1
    functions = resources(synthesis, "AWS::Lambda::Function")
    waiting = [f for f in functions if f["Environment"]["Variables"].get("MALWARE_SCAN_REQUIRED") == "true"]
    assert any(f["Handler"] == "uploadverifier.handler.lambda_handler" for f in waiting)


def test_graphql_introspection_is_on_when_the_context_says_so(synthesis: Synthesis) -> None:
    functions = resources(synthesis, "AWS::Lambda::Function")
    told = {f["Handler"]: f["Environment"]["Variables"].get("GRAPHQL_INTROSPECTION") for f in functions}
    assert told["graphqlapi.handler.lambda_handler"] == "true"
    assert {handler for handler, value in told.items() if value is not None} == {"graphqlapi.handler.lambda_handler"}
