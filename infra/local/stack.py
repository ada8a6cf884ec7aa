"""The whole backend in one process: moto's server for AWS, the gateway for HTTP, the stream
pump for DynamoDB Streams, and the broker for IoT publishes. Used by ``make dev`` and tests."""

from __future__ import annotations

import json
import logging
import os
import secrets
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import boto3
from moto.server import ThreadedMotoServer
from werkzeug.serving import BaseWSGIServer, make_server

from infra import catalog, grants
from infra.declarations import USER_POOL
from infra.environment import Deployment, SingleSignOn, environment
from infra.local import moto_cognito, moto_transactions, resources, sandbox
from infra.local.gateway import LocalGateway
from infra.local.hosted_signin import DEMO_USERS, LocalSingleSignOn, create_single_sign_on
from infra.local.iam import LocalArns, Policy
from infra.local.iot import LocalBroker, LocalTopicRule
from infra.local.queues import QueuePoller
from infra.local.runtime import FunctionRuntime
from infra.local.schedules import Scheduler
from infra.local.streams import StreamPump, StreamSubscription
from infra.local.webapp import LocalWebApp
from infra.local.websocket import LocalWebSocketApi
from rpm_core import config
from rpm_core.config import DEFAULT_RETENTION_DAYS
from rpm_core.data.resources import (
    TOPIC_RULES,
    BucketSpec,
    QueueSpec,
    Spec,
    TopicRuleSpec,
    WebSocketApiSpec,
    declared,
)
from rpm_core.data.tables import TABLES, TableSpec

REGION = "us-east-1"
ACCOUNT = "123456789012"
LOCAL_VARIABLES = ("POWERTOOLS_TRACE_DISABLED", "POWERTOOLS_METRICS_DISABLED", "POWERTOOLS_DEV")
"""What only the local stack sets on a function, beyond its endpoints: no traces or metrics to send."""
DEFAULT_ADMIN_EMAIL = "admin@example.com"
DEFAULT_ADMIN_PASSWORD = "Admin-Passw0rd!"  # noqa: S105 - a documented local default


@dataclass
class LocalStack:
    host: str = "127.0.0.1"
    port: int = 3000
    moto_port: int = 0
    ws_port: int = 0
    """The port of the first declared WebSocket API (``LIVE``); any other gets a free port."""
    ws_management_port: int = 0
    """The port of that API's Management API stand-in (0: a free one)."""
    sso_port: int = 0
    """The port of the hosted sign-in and its OpenID provider stand-in (0: a free one)."""
    admin_email: str = DEFAULT_ADMIN_EMAIL
    admin_password: str = DEFAULT_ADMIN_PASSWORD
    request_log: bool = False
    runtime: FunctionRuntime = field(default_factory=FunctionRuntime)
    broker: LocalBroker = field(default_factory=LocalBroker)
    resource_names: dict[str, str] = field(default_factory=dict)
    """Logical name → physical name (a queue: its URL) of every declared resource."""
    specs: dict[str, Spec] = field(default_factory=dict)
    websocket_apis: dict[str, LocalWebSocketApi] = field(default_factory=dict)
    """Each declared WebSocket API's local stand-in (endpoint and Management API), by logical name."""
    admin_user_id: str = ""
    sso: LocalSingleSignOn = field(init=False)
    """The hosted sign-in's stand-in and its OpenID provider(s) (``infra.local.hosted_signin``)."""
    iam_exercised: set[tuple[str, str, str]] = field(default_factory=set)
    """(function, action, granted resource) of every call the functions made that their roles allowed."""

    def start(self) -> LocalStack:
        logging.getLogger("werkzeug").setLevel(logging.ERROR)
        sandbox.install()  # each function: its own environment, caches and context; its role checked
        moto_transactions.install()  # DynamoDB's transaction semantics, without moto's whole-table copies
        moto_cognito.install()  # Cognito's RevokeToken, which moto lacks
        self._moto = ThreadedMotoServer(ip_address=self.host, port=self.moto_port, verbose=False)
        self._moto.start()
        moto_host, moto_port = self._moto.get_host_and_port()
        self.moto_endpoint = f"http://{moto_host}:{moto_port}"
        self._environment()
        self._resources()
        self.gateway = LocalGateway(self.runtime, publish=self.broker.publish, log=print if self.request_log else None)
        self._server: BaseWSGIServer = make_server(self.host, self.port, self.gateway, threaded=True)
        self.port = self._server.server_port
        os.environ["IOT_DATA_ENDPOINT"] = self.base_url  # devices publish through the gateway's /topics
        config.reset_process_caches()
        self._sandbox(catalog.FUNCTIONS)
        self.runtime.load_all()
        self._event_sources()
        self.gateway.web_app = LocalWebApp(api_url=self.base_url, ws_url=self.ws_url, storage_url=self.moto_endpoint)
        self._thread = threading.Thread(target=self._server.serve_forever, name="gateway", daemon=True)
        self._thread.start()
        self._create_admin()
        return self

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def app_url(self) -> str:
        """The web app (``web/``), served by the gateway at ``/app/``."""
        return f"{self.base_url}/app/"

    @property
    def ws_url(self) -> str:
        """The URL of the first declared WebSocket API (``LIVE``)."""
        return next(iter(self.websocket_apis.values())).url

    def client(self, service: str) -> Any:
        return boto3.client(service, endpoint_url=self.moto_endpoint, region_name=REGION)

    def _environment(self) -> None:
        os.environ.update(
            {
                "AWS_ACCESS_KEY_ID": "local",
                "AWS_SECRET_ACCESS_KEY": "local",
                "AWS_DEFAULT_REGION": REGION,
                "AWS_REGION": REGION,
                "AWS_ENDPOINT_URL": self.moto_endpoint,
                "AUTO_CONFIRM_SIGNUP": "true",
                "SESSION_LIFETIME_SECONDS": str(USER_POOL.default_session_hours * 3600),
                "POWERTOOLS_TRACE_DISABLED": "true",
                "POWERTOOLS_METRICS_NAMESPACE": "RPM",
                "POWERTOOLS_METRICS_DISABLED": "true",  # EMF lines would drown the request log
                "POWERTOOLS_DEV": "false",
                "RETENTION_DAYS": str(resources.cdk_context().get("retentionDays", DEFAULT_RETENTION_DAYS)),
            }
        )
        for name in ("AWS_PROFILE", "AWS_SESSION_TOKEN"):
            os.environ.pop(name, None)

    def _resources(self) -> None:
        """Every declared resource, created in moto from its spec; its variable set as the CDK app sets it."""
        self.arns = LocalArns(region=REGION, names=self.resource_names)
        self._create(declared())
        sqs = self.client("sqs")
        pool_id, client_id, signup_client_id = resources.create_user_pool(self.client("cognito-idp"))
        issuer = f"https://cognito-idp.{REGION}.amazonaws.com/{pool_id}"
        os.environ.update(
            {
                "USER_POOL_ID": pool_id,
                "USER_POOL_CLIENT_ID": client_id,
                "USER_POOL_SIGNUP_CLIENT_ID": signup_client_id,
                "TOKEN_ISSUER": issuer,
                "JWKS_URL": f"{self.moto_endpoint}/{pool_id}/.well-known/jwks.json",
            }
        )
        self.user_pool_id, self.user_pool_client_id, self.signup_client_id = pool_id, client_id, signup_client_id
        self.sso = create_single_sign_on(
            self.client("cognito-idp"), account=ACCOUNT, region=REGION, user_pool_id=pool_id,
            context=resources.cdk_context(), port=self.sso_port,
        )  # fmt: skip
        os.environ["USER_POOL_SSO_CLIENT_ID"] = self.sso.client_id  # the gateway's JWT check takes its tokens too
        for username, password, email, name, groups in DEMO_USERS:
            self.sso.provider.add_user(username, password, email=email, name=name, groups=groups)
        self.iot_policy_name = resources.create_iot_policy(self.client("iot"), REGION, ACCOUNT)
        self.cursor_secret_arn = self.client("secretsmanager").create_secret(
            Name="rpm-local-cursor-secret", SecretString=secrets.token_hex(32)
        )["ARN"]
        os.environ.update({"IOT_POLICY_NAME": self.iot_policy_name, "CURSOR_SECRET_ARN": self.cursor_secret_arn})
        self.dead_letter_queue_url = sqs.create_queue(QueueName="rpm-local-stream-dead-letter")["QueueUrl"]
        self.arns.user_pool_id = pool_id
        self.arns.secrets = {"cursor": self.cursor_secret_arn}
        config.reset_process_caches()

    def function_environment(self, function: catalog.FunctionSpec) -> dict[str, str]:
        """What the function's deployed Lambda is given (``infra.environment``), with the local names, and what
        the Lambda runtime sets; plus the local endpoints (``LOCAL_VARIABLES``)."""
        deployment = Deployment(
            user_pool_id=self.user_pool_id,
            user_pool_client_id=self.user_pool_client_id,
            signup_client_id=self.signup_client_id,
            session_lifetime_seconds=USER_POOL.default_session_hours * 3600,
            auto_confirm_signup=True,
            retention_days=int(resources.cdk_context().get("retentionDays", DEFAULT_RETENTION_DAYS)),
            cursor_secret_arn=self.cursor_secret_arn,
            iot_policy_name=self.iot_policy_name,
            graphql_introspection=True,  # API.md: introspection for signed-in callers of the local stack
            sso=SingleSignOn(
                client_id=self.sso.client_id,
                domain_url=self.sso.hosted.base_url,
                providers=self.sso.config.runtime_providers(),
                callback_urls=json.dumps(list(self.sso.config.callback_urls)),
            ),
        )
        runtime = {
            "AWS_ACCESS_KEY_ID": "local",
            "AWS_SECRET_ACCESS_KEY": "local",
            "AWS_REGION": REGION,
            "AWS_DEFAULT_REGION": REGION,
            "AWS_LAMBDA_FUNCTION_NAME": f"rpm-{function.name}",
            "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": "512",
        }
        local = {
            "AWS_ENDPOINT_URL": self.moto_endpoint,
            "JWKS_URL": os.environ["JWKS_URL"],
            **{name: os.environ[name] for name in LOCAL_VARIABLES},
        }
        if function.iot_actions:
            local["IOT_DATA_ENDPOINT"] = self.base_url
        return {
            **runtime,
            **local,
            **environment(function, resources=self.specs, names=self.resource_names, deployment=deployment),
        }

    def _sandbox(self, functions: tuple[catalog.FunctionSpec, ...]) -> None:
        """Each function runs as its own Lambda: its environment, caches and context, and its role enforced."""
        for function in functions:
            if function.function_kind.event_source == "stream":
                self.arns.dead_letters[function.name] = self.dead_letter_queue_url
            policy = Policy.of(function.name, grants.statements(function, self.specs), self.arns, self.iam_exercised)
            self.runtime.add_sandbox(
                sandbox.FunctionSandbox(function.name, self.function_environment(function), policy, self.arns)
            )

    @property
    def table_names(self) -> dict[str, str]:
        return {spec.name: self.resource_names[spec.name] for spec in TABLES}

    def stream_arn(self, spec: TableSpec) -> str:
        description = self.client("dynamodb").describe_table(TableName=self.resource_names[spec.name])["Table"]
        return str(description["LatestStreamArn"])

    def _create(self, specs: dict[str, Spec]) -> None:
        dynamodb, sqs = self.client("dynamodb"), self.client("sqs")
        creators: dict[type, Callable[[Any], str]] = {
            TableSpec: lambda spec: resources.create_table(dynamodb, spec),
            QueueSpec: lambda spec: resources.create_queue(sqs, spec),
            BucketSpec: self._create_bucket,
            WebSocketApiSpec: self._create_websocket_api,
        }
        for spec in specs.values():
            self.resource_names[spec.name] = creators[type(spec)](spec)
            self.specs[spec.name] = spec
            os.environ[spec.env_var] = self.resource_names[spec.name]

    def _create_bucket(self, spec: BucketSpec) -> str:
        name = resources.create_bucket(self.client("s3"), self.client("sqs"), spec, self.resource_names)
        if spec.create_only:  # moto keeps no bucket policy: the local IAM check enforces the write-once deny
            self.arns.create_only_buckets.add(name)
        return name

    def _create_websocket_api(self, spec: WebSocketApiSpec) -> str:
        """The API's endpoint on its own port, and its Management API; returns the Management endpoint."""
        first = not self.websocket_apis
        ports = (self.ws_port, self.ws_management_port) if first else (0, 0)
        api = LocalWebSocketApi(spec, host=self.host, port=ports[0], management_port=ports[1]).start()
        self.websocket_apis[spec.name] = api
        self.arns.websocket_stages[api.management_endpoint.rstrip("/")] = f"{LocalArns.api_id(spec.name)}/{spec.stage}"
        return api.management_endpoint

    def _event_sources(self) -> None:
        self.pump = StreamPump(self.runtime, self.client("dynamodbstreams"), on_failure=self._dead_letter)
        self.poller = QueuePoller(self.runtime, self.client("sqs"))
        self.scheduler = Scheduler(self.runtime)
        self._subscribe(catalog.FUNCTIONS)
        self._route_topics(TOPIC_RULES)
        self.pump.start()
        self.poller.start()
        self.scheduler.start()

    def _subscribe(self, functions: tuple[catalog.FunctionSpec, ...]) -> None:
        """Each event-source function fed as its deployed source feeds it (``catalog.KINDS`` → ``_SOURCES``)."""
        for function in functions:
            source = function.function_kind.event_source
            if source:
                _SOURCES[source](self, function)

    def _feed_streams(self, function: catalog.FunctionSpec) -> None:
        for table in function.stream_sources:
            spec = self.specs[table]
            assert isinstance(spec, TableSpec)
            self.pump.subscribe(function.name, self.resource_names[table], self.stream_arn(spec))

    def _feed_queue(self, function: catalog.FunctionSpec) -> None:
        assert function.consumed_queue  # catalog.check
        queue = self.specs[function.consumed_queue]
        assert isinstance(queue, QueueSpec)
        self.poller.subscribe(function.name, queue, self.resource_names[queue.name])

    def _schedule(self, function: catalog.FunctionSpec) -> None:
        assert function.every_minutes  # catalog.check
        self.scheduler.subscribe(function.name, function.every_minutes)

    def _user_pool_trigger(self, function: catalog.FunctionSpec) -> None:
        assert function.user_pool_trigger == "pre_token_generation"  # catalog.check; the one trigger declared
        moto_cognito.PRE_TOKEN_GENERATION[:] = [lambda event: dict(self.runtime.invoke(function.name, event))]

    def _serve_websocket(self, function: catalog.FunctionSpec) -> None:
        assert function.served_api  # catalog.check
        self.websocket_apis[function.served_api].serve(function.name, self.runtime.invoke)

    def _route_topics(self, rules: tuple[TopicRuleSpec, ...]) -> None:
        """Each topic rule's output to its queue (and what it cannot deliver to that queue's dead letter)."""
        sqs = self.client("sqs")
        self.broker.send = lambda url, body: sqs.send_message(QueueUrl=url, MessageBody=body)
        for rule in rules:
            url = self.resource_names[rule.queue]
            self.broker.add_rule(LocalTopicRule(rule, url, resources.dead_letter_url(sqs, url)))

    def declare(
        self,
        *,
        topic_rules: tuple[TopicRuleSpec, ...] = (),
        tables: tuple[TableSpec, ...] = (),
        queues: tuple[QueueSpec, ...] = (),
        buckets: tuple[BucketSpec, ...] = (),
        websocket_apis: tuple[WebSocketApiSpec, ...] = (),
        functions: tuple[catalog.FunctionSpec, ...] = (),
    ) -> None:
        """Adds declarations to a running stack, created and wired exactly as the registries' own
        (tests show with fixtures that a new table, queue, bucket, WebSocket API or function needs
        nothing but its declaration)."""
        new = declared(tables, queues, buckets, websocket_apis)
        catalog.check(functions, {**self.specs, **new})
        self._create(new)
        self._sandbox(functions)
        self._subscribe(functions)
        self._route_topics(topic_rules)

    def drain(self) -> int:
        """Delivers every pending stream record and queue message now (tests call this instead of waiting)."""
        delivered = 0
        while True:
            round_ = self.pump.drain() + self.poller.drain()
            delivered += round_
            if not round_:
                return delivered

    def _dead_letter(self, subscription: StreamSubscription, records: list[dict[str, Any]]) -> None:
        self.client("sqs").send_message(
            QueueUrl=self.dead_letter_queue_url,
            MessageBody=json.dumps(
                {
                    "function": subscription.function,
                    "streamArn": subscription.stream_arn,
                    "sequenceNumbers": [r["dynamodb"]["SequenceNumber"] for r in records],
                }
            ),
        )

    def _create_admin(self) -> None:
        from rpm_core.services.accounts import create_admin

        self.admin_user_id, _ = create_admin(self.admin_email, self.admin_password)

    def stop(self) -> None:
        self.pump.stop()
        self.poller.stop()
        self.scheduler.stop()
        for api in self.websocket_apis.values():
            api.stop()
        self._server.shutdown()
        self.sso.hosted.stop()
        moto_cognito.PRE_TOKEN_GENERATION.clear()
        self._moto.stop()


_SOURCES: dict[str, Callable[[LocalStack, catalog.FunctionSpec], None]] = {
    "stream": LocalStack._feed_streams,
    "queue": LocalStack._feed_queue,
    "websocket": LocalStack._serve_websocket,
    "schedule": LocalStack._schedule,
    "user_pool": LocalStack._user_pool_trigger,
}
"""Event source kind (``catalog.FunctionKind.event_source``) → its local stand-in (as ``BINDERS`` in CDK)."""
