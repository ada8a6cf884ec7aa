from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.list_response_treatment_plan import ListResponseTreatmentPlan
from ...models.list_treatment_plans_status_type_0 import ListTreatmentPlansStatusType0
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    patient_id: str,
    *,
    status: ListTreatmentPlansStatusType0 | None | Unset = UNSET,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_status: None | str | Unset
    if isinstance(status, Unset):
        json_status = UNSET
    elif isinstance(status, ListTreatmentPlansStatusType0):
        json_status = status.value
    else:
        json_status = status
    params["status"] = json_status

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
        "url": "/patients/{patient_id}/treatment-plans".format(
            patient_id=quote(str(patient_id), safe=""),
        ),
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ListResponseTreatmentPlan | Problem | None:
    if response.status_code == 200:
        response_200 = ListResponseTreatmentPlan.from_dict(response.json())

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

    if response.status_code == 404:
        response_404 = Problem.from_dict(response.json())

        return response_404

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
) -> Response[ListResponseTreatmentPlan | Problem]:
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
    status: ListTreatmentPlansStatusType0 | None | Unset = UNSET,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,
) -> Response[ListResponseTreatmentPlan | Problem]:
    """The patient's treatment plans, newest first; ?status=active gives the active one

    Args:
        patient_id (str): An object id
        status (ListTreatmentPlansStatusType0 | None | Unset): Only plans in this status
        limit (int | Unset): Page size Default: 50.
        cursor (None | str | Unset): The previous page's nextCursor

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ListResponseTreatmentPlan | Problem]
    """

    kwargs = _get_kwargs(
        patient_id=patient_id,
        status=status,
        limit=limit,
        cursor=cursor,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    patient_id: str,
    *,
    client: AuthenticatedClient | Client,
    status: ListTreatmentPlansStatusType0 | None | Unset = UNSET,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,
) -> ListResponseTreatmentPlan | Problem | None:
    """The patient's treatment plans, newest first; ?status=active gives the active one

    Args:
        patient_id (str): An object id
        status (ListTreatmentPlansStatusType0 | None | Unset): Only plans in this status
        limit (int | Unset): Page size Default: 50.
        cursor (None | str | Unset): The previous page's nextCursor

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ListResponseTreatmentPlan | Problem
    """

    return sync_detailed(
        patient_id=patient_id,
        client=client,
        status=status,
        limit=limit,
        cursor=cursor,
    ).parsed


async def asyncio_detailed(
    patient_id: str,
    *,
    client: AuthenticatedClient | Client,
    status: ListTreatmentPlansStatusType0 | None | Unset = UNSET,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,
) -> Response[ListResponseTreatmentPlan | Problem]:
    """The patient's treatment plans, newest first; ?status=active gives the active one

    Args:
        patient_id (str): An object id
        status (ListTreatmentPlansStatusType0 | None | Unset): Only plans in this status
        limit (int | Unset): Page size Default: 50.
        cursor (None | str | Unset): The previous page's nextCursor

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ListResponseTreatmentPlan | Problem]
    """

    kwargs = _get_kwargs(
        patient_id=patient_id,
        status=status,
        limit=limit,
        cursor=cursor,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    patient_id: str,
    *,
    client: AuthenticatedClient | Client,
    status: ListTreatmentPlansStatusType0 | None | Unset = UNSET,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,
) -> ListResponseTreatmentPlan | Problem | None:
    """The patient's treatment plans, newest first; ?status=active gives the active one

    Args:
        patient_id (str): An object id
        status (ListTreatmentPlansStatusType0 | None | Unset): Only plans in this status
        limit (int | Unset): Page size Default: 50.
        cursor (None | str | Unset): The previous page's nextCursor

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ListResponseTreatmentPlan | Problem
    """

    return (
        await asyncio_detailed(
            patient_id=patient_id,
            client=client,
            status=status,
            limit=limit,
            cursor=cursor,
        )
    ).parsed
