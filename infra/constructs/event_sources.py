"""Event sources of the functions whose kind has one: streams and queues (with partial-batch failures and a
dead letter), the routes of a WebSocket API, schedules, and the user pool's triggers.

A ``stream`` function reads the change streams of the tables it uses with access ``stream``
(``catalog.STREAM_CONSUMPTION``); failed batches go to its own dead-letter queue. A ``queue``
function consumes the declared queue it names (``consume``); that queue's redrive policy moves a
message that keeps failing to the queue's dead letter (``infra.constructs.messaging.Queues``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from aws_cdk import Duration
from aws_cdk import aws_cognito as cognito
from aws_cdk import aws_events as events
from aws_cdk import aws_events_targets as targets
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_lambda_event_sources as sources
from aws_cdk import aws_sqs as sqs
from constructs import Construct

from infra.catalog import STREAM_CONSUMPTION
from infra.constructs.messaging import encrypted_queue
from infra.nag import acknowledge

if TYPE_CHECKING:
    from infra.catalog import FunctionSpec
    from infra.constructs.bindings import SharedResources


class EventSources(Construct):
    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        spec: FunctionSpec,
        function: lambda_.Function,
        shared: SharedResources,
    ) -> None:
        super().__init__(scope, construct_id)
        self.dead_letter: sqs.IQueue | None = None
        source = spec.function_kind.event_source
        if source is None:
            raise ValueError(f"{spec.name}: kind {spec.kind!r} has no event source")
        BINDERS[source](self, spec, function, shared)

    def _streams(self, spec: FunctionSpec, function: lambda_.Function, shared: SharedResources) -> None:
        dead_letter = encrypted_queue(self, "DeadLetter", shared.data_key)
        acknowledge(
            dead_letter,
            "AwsSolutions-SQS3",
            "This queue is itself the on-failure destination (dead letter) of the stream event source mappings; "
            "it keeps failed batches for 14 days for operators to inspect and replay.",
        )
        self.dead_letter = dead_letter
        for table_name in spec.stream_sources:
            function.add_event_source(
                sources.DynamoEventSource(
                    shared.tables.table(table_name),
                    starting_position=getattr(lambda_.StartingPosition, STREAM_CONSUMPTION.starting_position),
                    batch_size=STREAM_CONSUMPTION.batch_size,
                    bisect_batch_on_error=STREAM_CONSUMPTION.bisect_batch_on_error,
                    report_batch_item_failures=True,
                    retry_attempts=STREAM_CONSUMPTION.retry_attempts,
                    on_failure=sources.SqsDlq(dead_letter),
                )
            )

    def _queue(self, spec: FunctionSpec, function: lambda_.Function, shared: SharedResources) -> None:
        name = spec.consumed_queue
        assert name is not None  # catalog.check: a queue function consumes exactly one queue
        self.dead_letter = shared.queues.dead_letters[name]
        function.add_event_source(
            sources.SqsEventSource(
                shared.queues.by_name[name],
                batch_size=shared.queues.specs[name].batch_size,
                max_batching_window=Duration.seconds(shared.queues.specs[name].batching_window_seconds)
                if shared.queues.specs[name].batching_window_seconds
                else None,
                report_batch_item_failures=True,
            )
        )

    def _schedule(self, spec: FunctionSpec, function: lambda_.Function, shared: SharedResources) -> None:
        assert spec.every_minutes  # catalog.check
        events.Rule(
            self,
            "Schedule",
            description=f"Invokes rpm-{spec.name} every {spec.every_minutes} minutes",
            schedule=events.Schedule.rate(Duration.minutes(spec.every_minutes)),
            targets=[targets.LambdaFunction(function)],
        )

    def _user_pool(self, spec: FunctionSpec, function: lambda_.Function, shared: SharedResources) -> None:
        assert spec.user_pool_trigger  # catalog.check
        pool = shared.user_pool
        if not isinstance(pool, cognito.UserPool):
            raise TypeError(f"{spec.name}: a trigger needs the stack's own user pool, not an imported one")
        pool.add_trigger(USER_POOL_OPERATIONS[spec.user_pool_trigger], function, cognito.LambdaVersion.V2_0)

    def _websocket(self, spec: FunctionSpec, function: lambda_.Function, shared: SharedResources) -> None:
        name = spec.served_api
        assert name is not None  # catalog.check: a websocket function serves exactly one API
        shared.websocket_apis.serve(name, function)


Binder = Callable[[EventSources, "FunctionSpec", lambda_.Function, "SharedResources"], None]
BINDERS: dict[str, Binder] = {
    "stream": EventSources._streams,
    "queue": EventSources._queue,
    "websocket": EventSources._websocket,
    "schedule": EventSources._schedule,
    "user_pool": EventSources._user_pool,
}
"""Event source kind (``catalog.FunctionKind.event_source``) → how it is wired."""
USER_POOL_OPERATIONS: dict[str, cognito.UserPoolOperation] = {
    "pre_token_generation": cognito.UserPoolOperation.PRE_TOKEN_GENERATION_CONFIG,  # the one taking version 2
}
