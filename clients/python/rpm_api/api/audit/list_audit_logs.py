import datetime
from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.list_response_audit_entry import ListResponseAuditEntry
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    entity_type: None | str | Unset = UNSET,
    entity_id: None | str | Unset = UNSET,
    actor: None | str | Unset = UNSET,
    from_: datetime.datetime | None | Unset = UNSET,
    to: datetime.datetime | None | Unset = UNSET,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_entity_type: None | str | Unset
    if isinstance(entity_type, Unset):
        json_entity_type = UNSET
    else:
        json_entity_type = entity_type
    params["entityType"] = json_entity_type

    json_entity_id: None | str | Unset
    if isinstance(entity_id, Unset):
        json_entity_id = UNSET
    else:
        json_entity_id = entity_id
    params["entityId"] = json_entity_id

    json_actor: None | str | Unset
    if isinstance(actor, Unset):
        json_actor = UNSET
    else:
        json_actor = actor
    params["actor"] = json_actor

    json_from_: None | str | Unset
    if isinstance(from_, Unset):
        json_from_ = UNSET
    elif isinstance(from_, datetime.datetime):
        json_from_ = from_.isoformat()
    else:
        json_from_ = from_
    params["from"] = json_from_

    json_to: None | str | Unset
    if isinstance(to, Unset):
        json_to = UNSET
    elif isinstance(to, datetime.datetime):
        json_to = to.isoformat()
    else:
        json_to = to
    params["to"] = json_to

    params["limit"] = limit

    json_cursor: None | str | Unset
    if isinstance(cursor, Unset):
        json_cursor = UNSET
    else:
        json_cursor = cursor
    params["cursor"] = json_cursor

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/audit-logs",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ListResponseAuditEntry | Problem | None:
    if response.status_code == 200:
        response_200 = ListResponseAuditEntry.from_dict(response.json())

        return response_200

    if response.status_code == 400:
        response_400 = Problem.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = Problem.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = Problem.from_dict(response.json())

        return response_403

    if response.status_code == 422:
        response_422 = Problem.from_dict(response.json())

        return response_422

    if response.status_code == 429:
        response_429 = Problem.from_dict(response.json())

        return response_429

    if response.status_code == 500:
        response_500 = Problem.from_dict(response.json())

        return response_500

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[ListResponseAuditEntry | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    entity_type: None | str | Unset = UNSET,
    entity_id: None | str | Unset = UNSET,
    actor: None | str | Unset = UNSET,
    from_: datetime.datetime | None | Unset = UNSET,
    to: datetime.datetime | None | Unset = UNSET,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,
) -> Response[ListResponseAuditEntry | Problem]:
    """Audit entries by entity, actor or time, newest first (admin)

    Args:
        entity_type (None | str | Unset): e.g. Patient, LabResult, User
        entity_id (None | str | Unset): Alone or with entityType
        actor (None | str | Unset): A user id, or system:ttl, anonymous
        from_ (datetime.datetime | None | Unset): Entries made at or after (with offset)
        to (datetime.datetime | None | Unset): Entries made at or before (with offset)
        limit (int | Unset): Page size Default: 50.
        cursor (None | str | Unset): The previous page's nextCursor

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ListResponseAuditEntry | Problem]
    """

    kwargs = _get_kwargs(
        entity_type=entity_type,
        entity_id=entity_id,
        actor=actor,
        from_=from_,
        to=to,
        limit=limit,
        cursor=cursor,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    entity_type: None | str | Unset = UNSET,
    entity_id: None | str | Unset = UNSET,
    actor: None | str | Unset = UNSET,
    from_: datetime.datetime | None | Unset = UNSET,
    to: datetime.datetime | None | Unset = UNSET,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,
) -> ListResponseAuditEntry | Problem | None:
    """Audit entries by entity, actor or time, newest first (admin)

    Args:
        entity_type (None | str | Unset): e.g. Patient, LabResult, User
        entity_id (None | str | Unset): Alone or with entityType
        actor (None | str | Unset): A user id, or system:ttl, anonymous
        from_ (datetime.datetime | None | Unset): Entries made at or after (with offset)
        to (datetime.datetime | None | Unset): Entries made at or before (with offset)
        limit (int | Unset): Page size Default: 50.
        cursor (None | str | Unset): The previous page's nextCursor

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ListResponseAuditEntry | Problem
    """

    return sync_detailed(
        client=client,
        entity_type=entity_type,
        entity_id=entity_id,
        actor=actor,
        from_=from_,
        to=to,
        limit=limit,
        cursor=cursor,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    entity_type: None | str | Unset = UNSET,
    entity_id: None | str | Unset = UNSET,
    actor: None | str | Unset = UNSET,
    from_: datetime.datetime | None | Unset = UNSET,
    to: datetime.datetime | None | Unset = UNSET,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,
) -> Response[ListResponseAuditEntry | Problem]:
    """Audit entries by entity, actor or time, newest first (admin)

    Args:
        entity_type (None | str | Unset): e.g. Patient, LabResult, User
        entity_id (None | str | Unset): Alone or with entityType
        actor (None | str | Unset): A user id, or system:ttl, anonymous
        from_ (datetime.datetime | None | Unset): Entries made at or after (with offset)
        to (datetime.datetime | None | Unset): Entries made at or before (with offset)
        limit (int | Unset): Page size Default: 50.
        cursor (None | str | Unset): The previous page's nextCursor

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ListResponseAuditEntry | Problem]
    """

    kwargs = _get_kwargs(
        entity_type=entity_type,
        entity_id=entity_id,
        actor=actor,
        from_=from_,
        to=to,
        limit=limit,
        cursor=cursor,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    entity_type: None | str | Unset = UNSET,
    entity_id: None | str | Unset = UNSET,
    actor: None | str | Unset = UNSET,
    from_: datetime.datetime | None | Unset = UNSET,
    to: datetime.datetime | None | Unset = UNSET,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,
) -> ListResponseAuditEntry | Problem | None:
    """Audit entries by entity, actor or time, newest first (admin)

    Args:
        entity_type (None | str | Unset): e.g. Patient, LabResult, User
        entity_id (None | str | Unset): Alone or with entityType
        actor (None | str | Unset): A user id, or system:ttl, anonymous
        from_ (datetime.datetime | None | Unset): Entries made at or after (with offset)
        to (datetime.datetime | None | Unset): Entries made at or before (with offset)
        limit (int | Unset): Page size Default: 50.
        cursor (None | str | Unset): The previous page's nextCursor

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ListResponseAuditEntry | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            entity_type=entity_type,
            entity_id=entity_id,
            actor=actor,
            from_=from_,
            to=to,
            limit=limit,
            cursor=cursor,
        )
    ).parsed
