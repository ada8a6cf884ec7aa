"""The backend stack: one construct per concern, composed from the catalog and the table specs."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from aws_cdk import CfnOutput, Environment, Stack
from constructs import Construct

from infra import alarms
from infra.constructs.api import HttpApi
from infra.constructs.auth import Auth
from infra.constructs.backup import TableBackups
from infra.constructs.bindings import SharedResources
from infra.constructs.data import Tables
from infra.constructs.device_fleet import DeviceFleetPolicy
from infra.constructs.encryption import Encryption
from infra.constructs.functions import Functions
from infra.constructs.messaging import Buckets, Queues
from infra.constructs.operations import Operations, Watched
from infra.constructs.secrets import CursorSecret
from infra.constructs.topic_rules import TopicRules
from infra.constructs.webapp import WebApp
from infra.constructs.websockets import WebSocketApis
from infra.declarations import USER_POOL
from infra.settings import Settings
from rpm_core.data.resources import (
    BUCKETS,
    QUEUES,
    TOPIC_RULES,
    WEBSOCKET_APIS,
    BucketSpec,
    QueueSpec,
    TopicRuleSpec,
    WebSocketApiSpec,
)

if TYPE_CHECKING:
    from infra.catalog import FunctionSpec
    from rpm_core.api.routes import RouteSpec
    from rpm_core.data.tables import TableSpec


class RpmStack(Stack):
    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        settings: Settings,
        table_specs: tuple[TableSpec, ...],
        function_specs: tuple[FunctionSpec, ...],
        queue_specs: tuple[QueueSpec, ...] = QUEUES,
        bucket_specs: tuple[BucketSpec, ...] = BUCKETS,
        topic_rule_specs: tuple[TopicRuleSpec, ...] = TOPIC_RULES,
        websocket_api_specs: tuple[WebSocketApiSpec, ...] = WEBSOCKET_APIS,
        routes: tuple[RouteSpec, ...],
        deps_layer_dir: Path,
    ) -> None:
        super().__init__(
            scope,
            construct_id,
            env=Environment(account=settings.account, region=settings.region),
            description="Remote patient monitoring backend: HTTP API, Cognito, Lambda, DynamoDB",
        )
        encryption = Encryption(self, "Encryption")
        self.tables = Tables(
            self, "Data", specs=table_specs, key=encryption.data_key, deletion_protection=settings.deletion_protection
        )
        self.queues = Queues(self, "Queues", specs=queue_specs, key=encryption.data_key)
        self.buckets = Buckets(
            self,
            "Buckets",
            specs=bucket_specs,
            key=encryption.data_key,
            queues=self.queues,
            context=self._days_context(bucket_specs),
            cors_origins=settings.cors_origins,
            malware_protection=settings.malware_protection,
        )
        TableBackups(self, "Backups", tables=self.tables.by_name.values(), key=encryption.data_key)
        self.auth = Auth(
            self, "Auth", spec=USER_POOL, session_lifetime_hours=settings.session_lifetime_hours, sso=settings.sso
        )
        cursor_secret = CursorSecret(self, "CursorSecret", key=encryption.data_key)
        self.topic_rules = TopicRules(self, "TopicRules", specs=topic_rule_specs, queues=self.queues)
        self.device_fleet = DeviceFleetPolicy(self, "DeviceFleet")
        self.websocket_apis = WebSocketApis(
            self, "WebSocketApis", specs=websocket_api_specs, logs_key=encryption.logs_key, settings=settings
        )
        shared = SharedResources(
            tables=self.tables,
            queues=self.queues,
            buckets=self.buckets,
            websocket_apis=self.websocket_apis,
            user_pool=self.auth.user_pool,
            user_pool_client=self.auth.client,
            signup_client=self.auth.signup_client,
            cursor_secret=cursor_secret.secret,
            logs_key=encryption.logs_key,
            data_key=encryption.data_key,
            iot_policy_name=self.device_fleet.policy_name,
            single_sign_on=self.auth.single_sign_on,
        )
        self.functions = Functions(
            self, "Functions", specs=function_specs, shared=shared, settings=settings, deps_layer_dir=deps_layer_dir
        )
        self.api = HttpApi(
            self,
            "Api",
            routes=routes,
            functions={spec.name: self.functions.function(spec.name) for spec in function_specs if spec.kind == "http"},
            jwt_issuer=f"https://cognito-idp.{self.region}.amazonaws.com/{self.auth.user_pool.user_pool_id}",
            jwt_audience=[client.user_pool_client_id for client in self.auth.token_clients],
            default_route_function=self.functions.function(
                only([spec for spec in function_specs if spec.serves_default_route], kind="http").name
            ),
            logs_key=encryption.logs_key,
            settings=settings,
        )
        self.operations = Operations(
            self,
            "Operations",
            alarms=alarms.plan(
                functions=function_specs, queues=queue_specs, topic_rules=topic_rule_specs, stage=settings.stage
            ),
            watched=Watched(
                functions=dict(self.functions.by_name),
                dead_letters={
                    **self.functions.dead_letters,
                    **{f"queue:{name}": queue for name, queue in self.queues.dead_letters.items()},
                },
                http_api_id=self.api.api.api_id,
            ),
            emails=settings.alarm_emails,
            stage=settings.stage,
        )
        browser_buckets = [self.buckets.by_name[spec.name] for spec in bucket_specs if spec.browser_uploads]
        self.web_app = WebApp(
            self,
            "WebApp",
            api_url=self.api.url,
            websocket_url=next(iter(self.websocket_apis.by_name.values())).stage.url,
            storage_origins=tuple(  # where presigned upload and download URLs point
                origin
                for bucket in browser_buckets
                for origin in (
                    f"https://{bucket.bucket_regional_domain_name}",
                    f"https://{bucket.bucket_name}.s3.amazonaws.com",
                )
            ),
            stage=settings.stage,
        )
        CfnOutput(
            self,
            "WebAppUrl",
            value=self.web_app.url,
            description="The web app (CloudFront); list it in context corsOrigins so that the API answers it",
        )
        CfnOutput(self, "ApiUrl", value=self.api.url, description="Base URL of the HTTP API")
        for name, declared in self.websocket_apis.by_name.items():
            CfnOutput(self, f"{name}WebSocketUrl", value=declared.stage.url, description=declared.spec.purpose)
        CfnOutput(self, "UserPoolId", value=self.auth.user_pool.user_pool_id)
        CfnOutput(self, "UserPoolClientId", value=self.auth.client.user_pool_client_id)
        CfnOutput(self, "Region", value=self.region)
        CfnOutput(
            self,
            "AlarmTopicArn",
            value=self.operations.topic.topic_arn,
            description="SNS topic every alarm notifies (subscribe with context alarmEmails, or any SNS endpoint)",
        )
        CfnOutput(
            self,
            "UsersTableName",
            value=self.tables.table("Users").table_name,
            description="Users table (infra.create_admin writes the first admin's profile there)",
        )

    def _days_context(self, bucket_specs: tuple[BucketSpec, ...]) -> dict[str, int]:
        """The context values (days) the buckets name, e.g. a retention period; each must be set (cdk.json)."""
        keys = {key for spec in bucket_specs for key in (spec.object_lock_days_context, spec.expiration_days_context)}
        values: dict[str, int] = {}
        for key in sorted(k for k in keys if k):
            value = self.node.try_get_context(key)
            if value in (None, ""):
                raise ValueError(f"context {key!r} is not set (cdk.json or -c {key}=<days>)")
            values[key] = int(value)
        return values


def only(specs: tuple[FunctionSpec, ...] | list[FunctionSpec], *, kind: str) -> FunctionSpec:
    """The one function of ``kind`` among ``specs``; anything else is a catalog error."""
    matches = [spec for spec in specs if spec.kind == kind]
    if len(matches) != 1:
        raise ValueError(f"expected exactly one {kind} function, found {[spec.name for spec in matches]}")
    return matches[0]
