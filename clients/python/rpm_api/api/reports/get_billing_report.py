from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.billing_report import BillingReport
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    month: str,
    patient_id: None | str | Unset = UNSET,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,
    accept: None | str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(accept, Unset):
        headers["accept"] = accept

    params: dict[str, Any] = {}

    params["month"] = month

    json_patient_id: None | str | Unset
    if isinstance(patient_id, Unset):
        json_patient_id = UNSET
    else:
        json_patient_id = patient_id
    params["patientId"] = json_patient_id

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
        "url": "/reports/rpm-billing",
        "params": params,
    }

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> BillingReport | Problem | None:
    if response.status_code == 200:
        response_200 = BillingReport.from_dict(response.json())

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
) -> Response[BillingReport | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    month: str,
    patient_id: None | str | Unset = UNSET,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,
    accept: None | str | Unset = UNSET,
) -> Response[BillingReport | Problem]:
    """RPM billing report: device periods, management minutes and candidate codes per patient (staff)

     Admins: every patient; clinicians: their patients. The report states facts and candidate codes under
    the CY2026 physician fee schedule; billing decisions stay with the practice.

    Args:
        month (str): YYYY-MM (each patient's calendar month in their time zone)
        patient_id (None | str | Unset): One patient only
        limit (int | Unset): Page size Default: 50.
        cursor (None | str | Unset): The previous page's nextCursor
        accept (None | str | Unset): text/csv for CSV

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[BillingReport | Problem]
    """

    kwargs = _get_kwargs(
        month=month,
        patient_id=patient_id,
        limit=limit,
        cursor=cursor,
        accept=accept,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    month: str,
    patient_id: None | str | Unset = UNSET,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,
    accept: None | str | Unset = UNSET,
) -> BillingReport | Problem | None:
    """RPM billing report: device periods, management minutes and candidate codes per patient (staff)

     Admins: every patient; clinicians: their patients. The report states facts and candidate codes under
    the CY2026 physician fee schedule; billing decisions stay with the practice.

    Args:
        month (str): YYYY-MM (each patient's calendar month in their time zone)
        patient_id (None | str | Unset): One patient only
        limit (int | Unset): Page size Default: 50.
        cursor (None | str | Unset): The previous page's nextCursor
        accept (None | str | Unset): text/csv for CSV

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        BillingReport | Problem
    """

    return sync_detailed(
        client=client,
        month=month,
        patient_id=patient_id,
        limit=limit,
        cursor=cursor,
        accept=accept,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    month: str,
    patient_id: None | str | Unset = UNSET,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,
    accept: None | str | Unset = UNSET,
) -> Response[BillingReport | Problem]:
    """RPM billing report: device periods, management minutes and candidate codes per patient (staff)

     Admins: every patient; clinicians: their patients. The report states facts and candidate codes under
    the CY2026 physician fee schedule; billing decisions stay with the practice.

    Args:
        month (str): YYYY-MM (each patient's calendar month in their time zone)
        patient_id (None | str | Unset): One patient only
        limit (int | Unset): Page size Default: 50.
        cursor (None | str | Unset): The previous page's nextCursor
        accept (None | str | Unset): text/csv for CSV

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[BillingReport | Problem]
    """

    kwargs = _get_kwargs(
        month=month,
        patient_id=patient_id,
        limit=limit,
        cursor=cursor,
        accept=accept,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    month: str,
    patient_id: None | str | Unset = UNSET,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,
    accept: None | str | Unset = UNSET,
) -> BillingReport | Problem | None:
    """RPM billing report: device periods, management minutes and candidate codes per patient (staff)

     Admins: every patient; clinicians: their patients. The report states facts and candidate codes under
    the CY2026 physician fee schedule; billing decisions stay with the practice.

    Args:
        month (str): YYYY-MM (each patient's calendar month in their time zone)
        patient_id (None | str | Unset): One patient only
        limit (int | Unset): Page size Default: 50.
        cursor (None | str | Unset): The previous page's nextCursor
        accept (None | str | Unset): text/csv for CSV

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        BillingReport | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            month=month,
            patient_id=patient_id,
            limit=limit,
            cursor=cursor,
            accept=accept,
        )
    ).parsed
