"""WebSocket APIs, one per ``rpm_core.data.resources.WEBSOCKET_APIS`` spec: the API, its stage (throttled,
KMS-encrypted access logs) and, once the ``websocket`` function serving it binds (``event_sources``), a
route per declared route key. A function that ``manage``s an API gets the stage's Management endpoint
and ``execute-api:ManageConnections`` on that stage's connections only (``infra.constructs.functions``).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from aws_cdk import RemovalPolicy, Stack
from aws_cdk import aws_apigateway as apigw
from aws_cdk import aws_apigatewayv2 as apigwv2
from aws_cdk import aws_apigatewayv2_integrations as integrations
from aws_cdk import aws_kms as kms
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_logs as logs
from constructs import Construct

from infra.constructs.api import AccessLogSettings
from infra.grants import MANAGEMENT_METHODS
from infra.nag import acknowledge
from infra.settings import Settings

if TYPE_CHECKING:
    from rpm_core.data.resources import WebSocketApiSpec

ACCESS_LOG_FIELDS = {
    "requestId": "$context.requestId",
    "requestTime": "$context.requestTimeEpoch",
    "routeKey": "$context.routeKey",
    "eventType": "$context.eventType",
    "connectionId": "$context.connectionId",
    "status": "$context.status",
    "integrationStatus": "$context.integrationStatus",
    "latencyMs": "$context.integrationLatency",
    "ip": "$context.identity.sourceIp",
}
"""Ids, timings and outcome only: no query string (it carries the token), headers or message bodies."""


@dataclass(frozen=True)
class DeclaredWebSocketApi:
    spec: WebSocketApiSpec
    api: apigwv2.WebSocketApi
    stage: apigwv2.WebSocketStage

    @property
    def management_endpoint(self) -> str:
        """``https://{apiId}.execute-api.{region}.amazonaws.com/{stage}``: the Management API's endpoint."""
        return self.stage.callback_url

    def connection_arns(self) -> list[str]:
        """The connections a ``manage`` grant covers (``infra.grants``), as the findings it raises name them."""
        stack = Stack.of(self.api)
        return [
            stack.format_arn(
                service="execute-api",
                resource=self.api.api_id,
                resource_name=f"{self.spec.stage}/{method}/@connections/*",
            )
            for method in MANAGEMENT_METHODS
        ]


class WebSocketApis(Construct):
    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        specs: Iterable[WebSocketApiSpec],
        logs_key: kms.IKey,
        settings: Settings,
    ) -> None:
        super().__init__(scope, construct_id)
        self.by_name: dict[str, DeclaredWebSocketApi] = {}
        self.routes: dict[str, dict[str, apigwv2.WebSocketRoute]] = {}
        for spec in specs:
            api = apigwv2.WebSocketApi(
                self,
                spec.name,
                api_name=f"rpm-{spec.name.lower()}",
                description=spec.purpose,
                route_selection_expression=spec.route_selection_expression,
            )
            access_logs = logs.LogGroup(
                self,
                f"{spec.name}AccessLogs",
                retention=settings.log_retention,
                encryption_key=logs_key,
                removal_policy=RemovalPolicy.RETAIN,
            )
            stage = apigwv2.WebSocketStage(
                self,
                f"{spec.name}Stage",
                web_socket_api=api,
                stage_name=spec.stage,
                auto_deploy=True,
                throttle=apigwv2.ThrottleSettings(
                    rate_limit=settings.throttle_rate_limit, burst_limit=settings.throttle_burst_limit
                ),
                access_log_settings=AccessLogSettings(
                    apigwv2.LogGroupLogDestination(access_logs),
                    apigw.AccessLogFormat.custom(json.dumps(ACCESS_LOG_FIELDS, separators=(",", ":"))),
                ),
            )
            self.by_name[spec.name] = DeclaredWebSocketApi(spec, api, stage)

    def serve(self, name: str, function: lambda_.IFunction) -> None:
        """Every declared route of the API invokes ``function`` (the ``websocket`` function serving it)."""
        declared = self.by_name[name]
        if name in self.routes:
            raise ValueError(f"WebSocket API {name} is served by one function only")
        integration = integrations.WebSocketLambdaIntegration(f"{name}Integration", function)
        self.routes[name] = {}
        for route_key in declared.spec.routes:
            route = declared.api.add_route(
                route_key, integration=integration, return_response=route_key in declared.spec.two_way_routes
            )
            self.routes[name][route_key] = route
            acknowledge(
                route,
                "AwsSolutions-APIG4",
                "A WebSocket API cannot use the HTTP API's JWT authorizer: $connect uses up the single-use ticket "
                f"of POST /live/tickets from the '{declared.spec.ticket_query_parameter}' query parameter, or "
                f"verifies the access token from the '{declared.spec.token_query_parameter}' one (signature, "
                "issuer, client, expiry), then checks the session's revocation and the account's status (the same "
                "code as every HTTP request) and refuses the handshake otherwise; later routes run only on a "
                "connection $connect accepted.",
            )
