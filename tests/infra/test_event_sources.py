"""The ``stream`` and ``queue`` code path, synthesized with two extra catalog entries (none ship yet)."""

from __future__ import annotations

from typing import Any

import aws_cdk as cdk
import pytest

import catalog
from infra.app import default_context
from infra.nag import add_nag_packs
from infra.settings import settings_of
from infra.stack import RpmStack
from rpm_core.data.tables import TABLES
from tests.infra.conftest import ACCOUNT, REGION, Synthesis, load

pytestmark = pytest.mark.infra

STREAM = catalog.FunctionSpec(
    name="teststreamconsumer",
    kind="stream",
    description="test stream consumer",
    tables=(("Users", "read"),),
    stream_sources=("Users", "Patients"),
)
STACK = "EventSourcesTest"
QUEUE = catalog.FunctionSpec(name="testqueueconsumer", kind="queue", description="test queue consumer")


@pytest.fixture(scope="module")
def synthesis(tmp_path_factory: pytest.TempPathFactory) -> Synthesis:
    tmp = tmp_path_factory.mktemp("event-sources")
    (tmp / "deps" / "python").mkdir(parents=True)
    context = {**default_context(), "account": ACCOUNT, "region": REGION, "depsLayerPath": str(tmp / "deps")}
    outdir = tmp / "cdk.out"
    app = cdk.App(context=context, outdir=str(outdir))
    RpmStack(
        app,
        STACK,
        settings=settings_of(app),
        table_specs=TABLES,
        function_specs=(*catalog.FUNCTIONS, STREAM, QUEUE),
        routes=catalog.http_routes(),
        deps_layer_dir=tmp / "deps",
    )
    add_nag_packs(app)
    try:
        app.synth()
    except RuntimeError as failure:
        (outdir / "error.txt").write_text(str(failure))
    return load(outdir, STACK)


def resources(synthesis: Synthesis, resource_type: str) -> list[dict[str, Any]]:
    return [r["Properties"] for r in synthesis.resources(resource_type).values()]


def test_event_source_functions_pass_cdk_nag(synthesis: Synthesis) -> None:
    findings = synthesis.findings()
    assert findings == [], "\n".join(findings)
    assert synthesis.error is None, synthesis.error
    unused = synthesis.unused_acknowledgements()
    assert unused == [], "\n".join(map(str, unused))


def test_stream_function_reads_each_source_table_with_partial_failures(
    synthesis: Synthesis,
) -> None:
    mappings = resources(synthesis, "AWS::Lambda::EventSourceMapping")
    streams = [m for m in mappings if "StartingPosition" in m]
    assert len(streams) == len(STREAM.stream_sources)
    for mapping in streams:
        assert mapping["BisectBatchOnFunctionError"] is True
        assert mapping["FunctionResponseTypes"] == ["ReportBatchItemFailures"]
        assert mapping["MaximumRetryAttempts"] == 3
        assert "OnFailure" in mapping["DestinationConfig"]
        assert mapping["EventSourceArn"]["Fn::GetAtt"][1] == "StreamArn"


def test_queue_function_reads_its_queue_with_partial_failures(synthesis: Synthesis) -> None:
    mappings = resources(synthesis, "AWS::Lambda::EventSourceMapping")
    queue_mappings = [m for m in mappings if "StartingPosition" not in m]
    assert len(queue_mappings) == sum(spec.kind == "queue" for spec in (*catalog.FUNCTIONS, QUEUE))
    assert all(m["FunctionResponseTypes"] == ["ReportBatchItemFailures"] for m in queue_mappings)


def test_queues_are_kms_encrypted_and_the_work_queue_has_a_dead_letter(
    synthesis: Synthesis,
) -> None:
    queues = resources(synthesis, "AWS::SQS::Queue")
    consumers = [spec for spec in (*catalog.FUNCTIONS, STREAM, QUEUE) if spec.kind in ("stream", "queue")]
    work_queues = sum(spec.kind == "queue" for spec in consumers)
    assert len(queues) == len(consumers) + work_queues  # a dead letter per consumer, a work queue per queue consumer
    assert all("KmsMasterKeyId" in queue for queue in queues)
    assert sum("RedrivePolicy" in queue for queue in queues) == work_queues
