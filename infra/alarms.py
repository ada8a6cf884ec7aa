"""The alarms of the backend, derived from its declarations: a function, queue, stream consumer or topic rule
gets its alarms by being declared (``catalog.FUNCTIONS``, ``rpm_core.data.resources``), nothing else.

This module is plain data (no aws_cdk): ``infra.constructs.operations`` renders each ``AlarmSpec`` as a
CloudWatch alarm on the operations topic, and the tests read the same plan.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from infra.catalog import FunctionSpec
    from rpm_core.data.resources import QueueSpec, TopicRuleSpec

Source = Literal["function", "dead_letter", "http_api", "topic_rule", "custom"]
Comparison = Literal["gte", "gt", "lt"]
Stage = Literal["dev", "prod"]
STAGES: tuple[Stage, ...] = ("dev", "prod")


@dataclass(frozen=True)
class Thresholds:
    """What counts as trouble, per stage: ``prod`` wakes someone at the first sign, ``dev`` only at a pattern."""

    function_errors: int
    """Invocation errors of one function in 5 minutes."""
    iterator_age_seconds: int
    """How far behind a stream consumer may fall (the age of the newest record it took)."""
    api_5xx_percent: float
    """Share of the HTTP API's answers that are 5xx, over 5 minutes (a 5xx is always a bug)."""
    api_p99_ms: int
    """The HTTP API's 99th-percentile latency, over 5 minutes (functions time out at 10 s)."""
    rejected_percent: float
    """Share of device readings ingest rejects, over 15 minutes (a firmware bug, a device sending garbage)."""


THRESHOLDS: dict[Stage, Thresholds] = {
    "dev": Thresholds(
        function_errors=5, iterator_age_seconds=900, api_5xx_percent=5.0, api_p99_ms=5000, rejected_percent=25.0
    ),
    "prod": Thresholds(
        function_errors=1, iterator_age_seconds=300, api_5xx_percent=1.0, api_p99_ms=2000, rejected_percent=10.0
    ),
}


@dataclass(frozen=True)
class AlarmSpec:
    """One alarm: on what (``source`` and ``subject``), which metric and when it fires."""

    id: str
    """Unique, also the construct id: ``<subject><Metric>``."""
    description: str
    source: Source
    subject: str
    """A function name (``function``, ``dead_letter`` of a function), ``queue:<name>`` (a declared queue's
    dead letter), a topic rule name, ``api`` (the HTTP API), or the custom metric's service."""
    metric: str
    statistic: str
    threshold: float
    comparison: Comparison
    period_minutes: int = 5
    missing_data_breaches: bool = False
    """True: no data at all is itself the alarm (a daily check that did not run)."""


def function_alarms(spec: FunctionSpec, thresholds: Thresholds) -> list[AlarmSpec]:
    """Errors and throttles of every function; iterator age of stream consumers; the dead letter of every
    function that has its own (stream consumers' on-failure destination, scheduled functions')."""
    name = spec.name
    alarms = [
        AlarmSpec(
            f"{name}Errors",
            f"rpm-{name}: {thresholds.function_errors} or more invocation errors in 5 minutes",
            "function",
            name,
            "Errors",
            "Sum",
            thresholds.function_errors,
            "gte",
        ),
        AlarmSpec(
            f"{name}Throttles",
            f"rpm-{name}: invocations throttled (concurrency exhausted)",
            "function",
            name,
            "Throttles",
            "Sum",
            1,
            "gte",
        ),
    ]
    source = spec.function_kind.event_source
    if source == "stream":
        alarms.append(
            AlarmSpec(
                f"{name}IteratorAge",
                f"rpm-{name}: stream records waited more than {thresholds.iterator_age_seconds} s",
                "function",
                name,
                "IteratorAge",
                "Maximum",
                thresholds.iterator_age_seconds * 1000,
                "gt",
            )
        )
    if source in ("stream", "schedule"):
        alarms.append(dead_letter_alarm(name, f"rpm-{name}'s dead letter"))
    return alarms


def dead_letter_alarm(subject: str, what: str) -> AlarmSpec:
    safe = subject.replace("queue:", "")
    return AlarmSpec(
        f"{safe}DeadLetter",
        f"{what} is not empty: something failed every retry and waits for an operator",
        "dead_letter",
        subject,
        "ApproximateNumberOfMessagesVisible",
        "Maximum",
        1,
        "gte",
    )


def plan(
    *,
    functions: Iterable[FunctionSpec],
    queues: Iterable[QueueSpec],
    topic_rules: Iterable[TopicRuleSpec],
    stage: Stage,
) -> tuple[AlarmSpec, ...]:
    """Every alarm the declarations call for, in a stable order."""
    thresholds = THRESHOLDS[stage]
    functions = list(functions)
    alarms: list[AlarmSpec] = []
    for spec in functions:
        alarms.extend(function_alarms(spec, thresholds))
    for queue in queues:
        alarms.append(dead_letter_alarm(f"queue:{queue.name}", f"the {queue.name} queue's dead letter"))
    for rule in topic_rules:
        alarms.append(
            AlarmSpec(
                f"{rule.name}RuleFailures",
                f"IoT rule {rule.name}: its action failed and the error action fired (readings to the dead letter)",
                "topic_rule",
                rule.name,
                "Failure",
                "Sum",
                1,
                "gte",
            )
        )
    alarms.extend(
        (
            AlarmSpec(
                "Api5xxRate",
                f"HTTP API: {thresholds.api_5xx_percent}% or more of answers are 5xx (always a bug)",
                "http_api",
                "api",
                "5xxRate",
                "Sum",
                thresholds.api_5xx_percent,
                "gte",
            ),
            AlarmSpec(
                "ApiLatencyP99",
                f"HTTP API: p99 latency above {thresholds.api_p99_ms} ms",
                "http_api",
                "api",
                "Latency",
                "p99",
                thresholds.api_p99_ms,
                "gt",
            ),
        )
    )
    names = {spec.name for spec in functions}
    if "ingest" in names:
        alarms.append(
            AlarmSpec(
                "ingestRejectedRate",
                f"ingest: {thresholds.rejected_percent}% or more of device readings rejected in 15 minutes",
                "custom",
                "ingest",
                "ReadingsRejectedRate",
                "Sum",
                thresholds.rejected_percent,
                "gte",
                period_minutes=15,
            )
        )
    if "auditverify" in names:
        alarms.append(
            AlarmSpec(
                "auditverifyChainBroken",
                "The daily audit-chain verification found a broken chain, or did not run",
                "custom",
                "auditverify",
                "AuditChainVerified",
                "Minimum",
                1,
                "lt",
                period_minutes=24 * 60,
                missing_data_breaches=True,
            )
        )
    ids = [alarm.id for alarm in alarms]
    duplicates = sorted({alarm_id for alarm_id in ids if ids.count(alarm_id) > 1})
    if duplicates:
        raise ValueError(f"alarm ids must be unique: {duplicates}")
    return tuple(alarms)
