from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.lab_result import LabResult
from ...models.problem import Problem
from ...types import Response


def _get_kwargs(
    patient_id: str,
    lab_result_id: str,
) -> dict[str, Any]:

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/patients/{patient_id}/lab-results/{lab_result_id}".format(
            patient_id=quote(str(patient_id), safe=""),
            lab_result_id=quote(str(lab_result_id), safe=""),
        ),
    }

    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> LabResult | Problem | None:
    if response.status_code == 200:
        response_200 = LabResult.from_dict(response.json())

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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[LabResult | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    patient_id: str,
    lab_result_id: str,
    *,
    client: AuthenticatedClient | Client,
) -> Response[LabResult | Problem]:
    """One lab result (its version is the ETag)

    Args:
        patient_id (str): An object id
        lab_result_id (str): An object id

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[LabResult | Problem]
    """

    kwargs = _get_kwargs(
        patient_id=patient_id,
        lab_result_id=lab_result_id,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    patient_id: str,
    lab_result_id: str,
    *,
    client: AuthenticatedClient | Client,
) -> LabResult | Problem | None:
    """One lab result (its version is the ETag)

    Args:
        patient_id (str): An object id
        lab_result_id (str): An object id

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        LabResult | Problem
    """

    return sync_detailed(
        patient_id=patient_id,
        lab_result_id=lab_result_id,
        client=client,
    ).parsed


async def asyncio_detailed(
    patient_id: str,
    lab_result_id: str,
    *,
    client: AuthenticatedClient | Client,
) -> Response[LabResult | Problem]:
    """One lab result (its version is the ETag)

    Args:
        patient_id (str): An object id
        lab_result_id (str): An object id

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[LabResult | Problem]
    """

    kwargs = _get_kwargs(
        patient_id=patient_id,
        lab_result_id=lab_result_id,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    patient_id: str,
    lab_result_id: str,
    *,
    client: AuthenticatedClient | Client,
) -> LabResult | Problem | None:
    """One lab result (its version is the ETag)

    Args:
        patient_id (str): An object id
        lab_result_id (str): An object id

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        LabResult | Problem
    """

    return (
        await asyncio_detailed(
            patient_id=patient_id,
            lab_result_id=lab_result_id,
            client=client,
        )
    ).parsed
