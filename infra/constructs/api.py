"""The HTTP API: one route per ``catalog.http_routes()`` entry, the JWT authorizer, access logs, throttling."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

import jsii
from aws_cdk import Duration, RemovalPolicy
from aws_cdk import aws_apigateway as apigw
from aws_cdk import aws_apigatewayv2 as apigwv2
from aws_cdk import aws_apigatewayv2_authorizers as authorizers
from aws_cdk import aws_apigatewayv2_integrations as integrations
from aws_cdk import aws_kms as kms
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_logs as logs
from constructs import Construct

from infra.nag import acknowledge
from infra.settings import Settings

if TYPE_CHECKING:
    from rpm_core.api.routes import RouteSpec

IDENTITY_SOURCE = "$request.header.Authorization"
ACCESS_LOG_FIELDS = {
    "requestId": "$context.requestId",
    "requestTime": "$context.requestTimeEpoch",
    "routeKey": "$context.routeKey",
    "status": "$context.status",
    "responseLength": "$context.responseLength",
    "latencyMs": "$context.responseLatency",
    "integrationLatencyMs": "$context.integrationLatency",
    "integrationStatus": "$context.integrationStatus",
    "ip": "$context.identity.sourceIp",
    "protocol": "$context.protocol",
}
"""Ids, timings and outcome only: no headers, bodies, paths with ids, or authorizer context."""


@jsii.implements(apigwv2.IAccessLogSettings)
class AccessLogSettings:
    def __init__(self, destination: apigwv2.IAccessLogDestination, log_format: apigw.AccessLogFormat) -> None:
        self._destination = destination
        self._format = log_format

    @property
    def destination(self) -> apigwv2.IAccessLogDestination:
        return self._destination

    @property
    def format(self) -> apigw.AccessLogFormat:
        return self._format


ROUTE_SCOPED_PERMISSIONS = 10
"""A function serving at most this many routes gets one Lambda permission per route (its source ARN that route's);
one serving more gets a single permission for any route of this API (API Gateway still invokes it only from the
routes integrated with it): each permission is a resource of the stack's budget and a statement of the function's
resource policy, which is limited to 20 KB."""


class HttpApi(Construct):
    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        routes: Iterable[RouteSpec],
        functions: Mapping[str, lambda_.IFunction],
        jwt_issuer: str,
        jwt_audience: str,
        default_route_function: lambda_.IFunction,
        logs_key: kms.IKey,
        settings: Settings,
    ) -> None:
        super().__init__(scope, construct_id)
        # API Gateway verifies signature, issuer, audience and expiry without invoking anything; the
        # function's entrypoint checks token_use, the user's role and status and the session's revocation
        self.authorizer = authorizers.HttpJwtAuthorizer(
            "Authorizer",
            jwt_issuer,
            authorizer_name="rpm-cognito-jwt",
            jwt_audience=[jwt_audience],
            identity_source=[IDENTITY_SOURCE],
        )
        routes = list(routes)
        served = Counter(route.function for route in routes)
        self.integrations = {
            name: integrations.HttpLambdaIntegration(
                f"{name}Integration",
                function,
                payload_format_version=apigwv2.PayloadFormatVersion.VERSION_2_0,
                # many routes, one function: one permission for this API's routes instead of one per route
                scope_permission_to_route=served[name] <= ROUTE_SCOPED_PERMISSIONS,
            )
            for name, function in functions.items()
        }
        default_integration = integrations.HttpLambdaIntegration(
            "DefaultIntegration",
            default_route_function,
            payload_format_version=apigwv2.PayloadFormatVersion.VERSION_2_0,
        )
        self.api = apigwv2.HttpApi(
            self,
            "HttpApi",
            description="Remote patient monitoring API (v1)",
            create_default_stage=False,
            default_integration=default_integration,
            cors_preflight=self._cors(settings),
        )
        acknowledge(
            self.api.node.find_child("DefaultRoute"),
            "AwsSolutions-APIG4",
            "$default only answers requests that match no route, with a problem+json 404/405 from the docs "
            "function; it reads no data, and every data route has its own route with the JWT authorizer.",
        )
        self.access_logs = logs.LogGroup(
            self,
            "AccessLogs",
            retention=settings.log_retention,
            encryption_key=logs_key,
            removal_policy=RemovalPolicy.RETAIN,
        )
        self.stage = apigwv2.HttpStage(
            self,
            "DefaultStage",
            http_api=self.api,
            stage_name="$default",
            auto_deploy=True,
            throttle=apigwv2.ThrottleSettings(
                rate_limit=settings.throttle_rate_limit, burst_limit=settings.throttle_burst_limit
            ),
            access_log_settings=AccessLogSettings(
                apigwv2.LogGroupLogDestination(self.access_logs),
                apigw.AccessLogFormat.custom(json.dumps(ACCESS_LOG_FIELDS, separators=(",", ":"))),
            ),
        )
        self.routes: dict[str, apigwv2.HttpRoute] = {}
        for route in routes:
            self.routes[route.route_key] = self._route(route)

    @property
    def url(self) -> str:
        return self.stage.url

    def _route(self, route: RouteSpec) -> apigwv2.HttpRoute:
        (http_route,) = self.api.add_routes(
            path=route.path,
            methods=[apigwv2.HttpMethod(route.method)],
            integration=self.integrations[route.function],
            authorizer=apigwv2.HttpNoneAuthorizer() if route.public else self.authorizer,
        )
        if route.public:
            acknowledge(
                http_route,
                "AwsSolutions-APIG4",
                f"{route.route_key} is public by contract (sign-up, confirmation, login, refresh, API docs): it "
                "runs before a caller has a token; stage throttling and Cognito threat protection limit abuse.",
            )
        return http_route

    @staticmethod
    def _cors(settings: Settings) -> apigwv2.CorsPreflightOptions | None:
        if not settings.cors_origins:
            return None
        return apigwv2.CorsPreflightOptions(
            allow_origins=list(settings.cors_origins),
            allow_methods=[apigwv2.CorsHttpMethod.ANY],
            allow_headers=["Authorization", "Content-Type", "If-Match"],
            expose_headers=["ETag", "Location"],
            max_age=Duration.hours(1),
        )
