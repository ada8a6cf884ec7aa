"""The caller's own account and user administration (``/me``, ``/admin/users``)."""

from __future__ import annotations

from typing import Annotated

from aws_lambda_powertools.event_handler.openapi.params import Query
from aws_lambda_powertools.event_handler.router import APIGatewayHttpRouter

from rpm_core import cold_start, context
from rpm_core.api import http
from rpm_core.api.docs import Cursor, Limit, PathId, route
from rpm_core.models.common import ListResponse
from rpm_core.models.users import Me, RoleChangeRequest, RoleName, User
from rpm_core.services import accounts

router = APIGatewayHttpRouter()


@router.get("/me", **route("The signed-in user", problems=(404,), tags=["users"], reads="User", operation_id="getMe"))
def me() -> Me:
    return accounts.me(context.principal())


@router.get("/admin/users", **route("List users (admin)", tags=["admin"], reads="User", operation_id="listUsers"))
def list_users(
    role: Annotated[RoleName | None, Query()] = None,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> ListResponse[User]:
    items, next_cursor = accounts.list_users(context.principal(), role=role, limit=limit, cursor=cursor)
    return ListResponse[User](items=items, nextCursor=next_cursor)


@router.put(
    "/admin/users/<userId>/role",
    **route("Grant or change a role (admin)", problems=(404, 409), tags=["admin"], operation_id="changeUserRole"),
)
def change_role(userId: PathId, request: RoleChangeRequest) -> User:
    return accounts.change_role(context.principal(), userId, request.role, context.request_id())


app = http.resolver(router, service="users")
lambda_handler = http.entrypoint(app, service="users")

lambda_handler = cold_start.ends_with_first_invocation(lambda_handler)
