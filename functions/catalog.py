"""The functions of the backend: one declaration each, read by the CDK app and the local stack.

A function's folder is ``functions/<name>/`` with ``handler.py`` exposing ``lambda_handler``
(and, for HTTP functions, ``router``: its routes). The Lambda asset is this whole folder, so
the handler string is ``<name>.handler.lambda_handler``.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from functools import cache
from types import ModuleType
from typing import Literal

from rpm_core.api.routes import RouteSpec, routes_of

Access = Literal["read", "write"]


@dataclass(frozen=True)
class FunctionSpec:
    name: str
    kind: Literal["http", "authorizer", "stream", "queue"]
    description: str
    tables: tuple[tuple[str, Access], ...] = ()
    """Logical table names (``TableSpec.name``) and the access the function needs."""
    cognito_actions: tuple[str, ...] = ()
    iot_actions: tuple[str, ...] = ()
    """IoT Core control-plane actions (device provisioning), on things, certificates and the fleet policy."""
    stream_sources: tuple[str, ...] = ()
    """For ``stream`` functions: the tables whose change streams feed them."""
    paginates: bool = False
    """Serves paginated lists: needs the cursor-signing secret."""
    serves_default_route: bool = False
    """Answers ``$default``: every request no route matches (problem+json 404/405)."""

    @property
    def module(self) -> str:
        return f"{self.name}.handler"

    @property
    def handler(self) -> str:
        return f"{self.module}.lambda_handler"


FUNCTIONS: tuple[FunctionSpec, ...] = (
    FunctionSpec(
        name="authorizer",
        kind="authorizer",
        description="Verifies the Cognito access token and the session on every protected route",
        tables=(("Users", "read"), ("RevokedSessions", "read")),
    ),
    FunctionSpec(
        name="auth",
        kind="http",
        description="Sign-up, confirmation, login, refresh and logout",
        tables=(("Users", "write"), ("RevokedSessions", "write")),
        cognito_actions=(
            "cognito-idp:SignUp",
            "cognito-idp:ConfirmSignUp",
            "cognito-idp:InitiateAuth",
            "cognito-idp:AdminConfirmSignUp",
            "cognito-idp:AdminAddUserToGroup",
            "cognito-idp:AdminDeleteUser",
        ),
    ),
    FunctionSpec(
        name="users",
        kind="http",
        description="The caller's own account and user administration",
        tables=(("Users", "write"), ("CareTeams", "write"), ("MonitoringLogs", "read"), ("AlertInbox", "write")),
        cognito_actions=("cognito-idp:AdminAddUserToGroup", "cognito-idp:AdminRemoveUserFromGroup"),
        paginates=True,
    ),
    FunctionSpec(
        name="patients",
        kind="http",
        description="Patient profiles and care teams",
        tables=(
            ("Patients", "write"),
            ("CareTeams", "write"),
            ("UniqueKeys", "write"),
            ("Users", "write"),
            ("MonitoringLogs", "read"),
            ("AlertInbox", "write"),
        ),
        paginates=True,
    ),
    FunctionSpec(
        name="devices",
        kind="http",
        description="Device provisioning, readings with versions, reading days, rejected readings",
        tables=(
            ("Patients", "read"),
            ("CareTeams", "read"),
            ("Devices", "write"),
            ("DeviceData", "write"),
            ("ReadingDays", "read"),
            ("RejectedReadings", "read"),
            ("Thresholds", "read"),
            ("MonitoringLogs", "write"),
            ("AlertInbox", "write"),
        ),
        iot_actions=(
            "iot:CreateThing",
            "iot:DeleteThing",
            "iot:CreateKeysAndCertificate",
            "iot:UpdateCertificate",
            "iot:AttachPolicy",
            "iot:AttachThingPrincipal",
            "iot:DescribeEndpoint",
        ),
        paginates=True,
    ),
    FunctionSpec(
        name="monitoring",
        kind="http",
        description="Threshold rules, monitoring logs and alerts",
        tables=(
            ("Patients", "read"),
            ("CareTeams", "read"),
            ("DeviceData", "read"),
            ("Thresholds", "write"),
            ("MonitoringLogs", "write"),
            ("AlertInbox", "write"),
        ),
        paginates=True,
    ),
    FunctionSpec(
        name="ingest",
        kind="queue",
        description="Device readings from the IoT topic rule's queue: validated, stored exactly once, thresholds",
        tables=(
            ("Devices", "read"),
            ("CareTeams", "read"),
            ("Thresholds", "read"),
            ("DeviceData", "write"),
            ("ReadingDays", "write"),
            ("RejectedReadings", "write"),
            ("MonitoringLogs", "write"),
            ("AlertInbox", "write"),
        ),
    ),
    FunctionSpec(
        name="docs",
        kind="http",
        description="OpenAPI document, API playground, and problem+json answers for unknown routes",
        serves_default_route=True,
    ),
)


def function(name: str) -> FunctionSpec:
    for spec in FUNCTIONS:
        if spec.name == name:
            return spec
    raise KeyError(name)


def load(spec: FunctionSpec) -> ModuleType:
    return importlib.import_module(spec.module)


@cache
def http_routes() -> tuple[RouteSpec, ...]:
    """Every route the HTTP functions serve, read from their routers."""
    routes: list[RouteSpec] = []
    for spec in FUNCTIONS:
        if spec.kind == "http":
            routes.extend(routes_of(load(spec).router, spec.name))
    return tuple(routes)
