from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.break_glass import BreakGlass
from ...models.break_glass_request import BreakGlassRequest
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    patient_id: str,
    *,
    body: BreakGlassRequest,
    idempotency_key: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(idempotency_key, Unset):
        headers["Idempotency-Key"] = idempotency_key

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/patients/{patient_id}/break-glass".format(
            patient_id=quote(str(patient_id), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> BreakGlass | Problem | None:
    if response.status_code == 201:
        response_201 = BreakGlass.from_dict(response.json())

        return response_201

    if response.status_code == 400:
        response_400 = Problem.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = Problem.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = Problem.from_dict(response.json())

        return response_403

    if response.status_code == 404:
        response_404 = Problem.from_dict(response.json())

        return response_404

    if response.status_code == 409:
        response_409 = Problem.from_dict(response.json())

        return response_409

    if response.status_code == 413:
        response_413 = Problem.from_dict(response.json())

        return response_413

    if response.status_code == 415:
        response_415 = Problem.from_dict(response.json())

        return response_415

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
) -> Response[BreakGlass | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    patient_id: str,
    *,
    client: AuthenticatedClient | Client,
    body: BreakGlassRequest,
    idempotency_key: str | Unset = UNSET,
) -> Response[BreakGlass | Problem]:
    """Read a patient's records for 60 minutes in an emergency (a clinician not on the care team)

    Args:
        patient_id (str): An object id
        idempotency_key (str | Unset):
        body (BreakGlassRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[BreakGlass | Problem]
    """

    kwargs = _get_kwargs(
        patient_id=patient_id,
        body=body,
        idempotency_key=idempotency_key,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    patient_id: str,
    *,
    client: AuthenticatedClient | Client,
    body: BreakGlassRequest,
    idempotency_key: str | Unset = UNSET,
) -> BreakGlass | Problem | None:
    """Read a patient's records for 60 minutes in an emergency (a clinician not on the care team)

    Args:
        patient_id (str): An object id
        idempotency_key (str | Unset):
        body (BreakGlassRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        BreakGlass | Problem
    """

    return sync_detailed(
        patient_id=patient_id,
        client=client,
        body=body,
        idempotency_key=idempotency_key,
    ).parsed


async def asyncio_detailed(
    patient_id: str,
    *,
    client: AuthenticatedClient | Client,
    body: BreakGlassRequest,
    idempotency_key: str | Unset = UNSET,
) -> Response[BreakGlass | Problem]:
    """Read a patient's records for 60 minutes in an emergency (a clinician not on the care team)

    Args:
        patient_id (str): An object id
        idempotency_key (str | Unset):
        body (BreakGlassRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[BreakGlass | Problem]
    """

    kwargs = _get_kwargs(
        patient_id=patient_id,
        body=body,
        idempotency_key=idempotency_key,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    patient_id: str,
    *,
    client: AuthenticatedClient | Client,
    body: BreakGlassRequest,
    idempotency_key: str | Unset = UNSET,
) -> BreakGlass | Problem | None:
    """Read a patient's records for 60 minutes in an emergency (a clinician not on the care team)

    Args:
        patient_id (str): An object id
        idempotency_key (str | Unset):
        body (BreakGlassRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        BreakGlass | Problem
    """

    return (
        await asyncio_detailed(
            patient_id=patient_id,
            client=client,
            body=body,
            idempotency_key=idempotency_key,
        )
    ).parsed
