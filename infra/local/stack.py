"""The whole backend in one process: moto's server for AWS, the gateway for HTTP, the stream
pump for DynamoDB Streams, and the broker for IoT publishes. Used by ``make dev`` and tests."""

from __future__ import annotations

import json
import logging
import os
import secrets
import threading
from dataclasses import dataclass, field
from typing import Any

import boto3
from moto.server import ThreadedMotoServer
from werkzeug.serving import BaseWSGIServer, make_server

import catalog
from infra.declarations import USER_POOL
from infra.local import moto_patches, resources
from infra.local.gateway import LocalGateway
from infra.local.iot import LocalBroker
from infra.local.runtime import FunctionRuntime
from infra.local.streams import StreamPump, StreamSubscription
from rpm_core import auth, config
from rpm_core.data import aws, iot, pagination
from rpm_core.data.tables import TABLES, TableSpec

REGION = "us-east-1"
DEFAULT_ADMIN_EMAIL = "admin@example.com"
DEFAULT_ADMIN_PASSWORD = "Admin-Passw0rd!"  # noqa: S105 - a documented local default


@dataclass
class LocalStack:
    host: str = "127.0.0.1"
    port: int = 3000
    moto_port: int = 0
    admin_email: str = DEFAULT_ADMIN_EMAIL
    admin_password: str = DEFAULT_ADMIN_PASSWORD
    request_log: bool = False
    runtime: FunctionRuntime = field(default_factory=FunctionRuntime)
    broker: LocalBroker = field(default_factory=LocalBroker)
    table_names: dict[str, str] = field(default_factory=dict)
    admin_user_id: str = ""

    def start(self) -> LocalStack:
        logging.getLogger("werkzeug").setLevel(logging.ERROR)
        moto_patches.apply()
        self._moto = ThreadedMotoServer(ip_address=self.host, port=self.moto_port, verbose=False)
        self._moto.start()
        moto_host, moto_port = self._moto.get_host_and_port()
        self.moto_endpoint = f"http://{moto_host}:{moto_port}"
        self._environment()
        self._resources()
        self.runtime.load_all()
        self._streams()
        self.gateway = LocalGateway(self.runtime, publish=self.broker.publish, log=print if self.request_log else None)
        self._server: BaseWSGIServer = make_server(self.host, self.port, self.gateway, threaded=True)
        self.port = self._server.server_port
        os.environ["IOT_DATA_ENDPOINT"] = self.base_url  # devices publish through the gateway's /topics
        self._reset_caches()
        self._thread = threading.Thread(target=self._server.serve_forever, name="gateway", daemon=True)
        self._thread.start()
        self._create_admin()
        return self

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}"

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
                "CURSOR_SECRET": secrets.token_hex(32),
                "SESSION_LIFETIME_SECONDS": str(USER_POOL.default_session_hours * 3600),
                "POWERTOOLS_TRACE_DISABLED": "true",
                "POWERTOOLS_METRICS_NAMESPACE": "RPM",
                "POWERTOOLS_METRICS_DISABLED": "true",  # EMF lines would drown the request log
                "POWERTOOLS_DEV": "false",
            }
        )
        for name in ("AWS_PROFILE", "AWS_SESSION_TOKEN"):
            os.environ.pop(name, None)

    def _reset_caches(self) -> None:
        config.settings.cache_clear()
        auth.token_verifier.cache_clear()
        pagination._secret.cache_clear()
        aws.reset_clients()
        iot.data_endpoint.cache_clear()

    def _resources(self) -> None:
        dynamodb = self.client("dynamodb")
        for spec in TABLES:
            self.table_names[spec.name] = resources.create_table(dynamodb, spec)
            os.environ[spec.env_var] = self.table_names[spec.name]
        pool_id, client_id = resources.create_user_pool(self.client("cognito-idp"))
        issuer = f"https://cognito-idp.{REGION}.amazonaws.com/{pool_id}"
        os.environ.update(
            {
                "USER_POOL_ID": pool_id,
                "USER_POOL_CLIENT_ID": client_id,
                "TOKEN_ISSUER": issuer,
                "JWKS_URL": f"{self.moto_endpoint}/{pool_id}/.well-known/jwks.json",
            }
        )
        self.user_pool_id, self.user_pool_client_id = pool_id, client_id
        os.environ["IOT_POLICY_NAME"] = resources.create_iot_policy(self.client("iot"), REGION, "123456789012")
        self.dead_letter_queue_url = self.client("sqs").create_queue(QueueName="rpm-local-dead-letter")["QueueUrl"]
        self._reset_caches()

    def stream_arn(self, spec: TableSpec) -> str:
        description = self.client("dynamodb").describe_table(TableName=self.table_names[spec.name])["Table"]
        return str(description["LatestStreamArn"])

    def _streams(self) -> None:
        self.pump = StreamPump(self.runtime, self.client("dynamodbstreams"), on_failure=self._dead_letter)
        specs = {spec.name: spec for spec in TABLES}
        for function in catalog.FUNCTIONS:
            for source in function.stream_sources:
                self.pump.subscribe(function.name, self.table_names[source], self.stream_arn(specs[source]))
        self.pump.start()

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
        self._server.shutdown()
        self._moto.stop()
