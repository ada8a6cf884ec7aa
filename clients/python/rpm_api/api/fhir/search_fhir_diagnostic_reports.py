from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.operation_outcome import OperationOutcome
from ...models.search_fhir_diagnostic_reports_response_200 import (
    SearchFhirDiagnosticReportsResponse200,
)
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    patient: None | str | Unset = UNSET,
    field_count: None | str | Unset = UNSET,
    field_cursor: None | str | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_patient: None | str | Unset
    if isinstance(patient, Unset):
        json_patient = UNSET
    else:
        json_patient = patient
    params["patient"] = json_patient

    json_field_count: None | str | Unset
    if isinstance(field_count, Unset):
        json_field_count = UNSET
    else:
        json_field_count = field_count
    params["_count"] = json_field_count

    json_field_cursor: None | str | Unset
    if isinstance(field_cursor, Unset):
        json_field_cursor = UNSET
    else:
        json_field_cursor = field_cursor
    params["_cursor"] = json_field_cursor

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/fhir/DiagnosticReport",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> OperationOutcome | SearchFhirDiagnosticReportsResponse200 | None:
    if response.status_code == 200:
        response_200 = SearchFhirDiagnosticReportsResponse200.from_dict(response.json())

        return response_200

    if response.status_code == 400:
        response_400 = OperationOutcome.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = OperationOutcome.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = OperationOutcome.from_dict(response.json())

        return response_403

    if response.status_code == 404:
        response_404 = OperationOutcome.from_dict(response.json())

        return response_404

    if response.status_code == 422:
        response_422 = OperationOutcome.from_dict(response.json())

        return response_422

    if response.status_code == 429:
        response_429 = OperationOutcome.from_dict(response.json())

        return response_429

    if response.status_code == 500:
        response_500 = OperationOutcome.from_dict(response.json())

        return response_500

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[OperationOutcome | SearchFhirDiagnosticReportsResponse200]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    patient: None | str | Unset = UNSET,
    field_count: None | str | Unset = UNSET,
    field_cursor: None | str | Unset = UNSET,
) -> Response[OperationOutcome | SearchFhirDiagnosticReportsResponse200]:
    """A patient's lab reports

    Args:
        patient (None | str | Unset): Patient id or Patient/<id>
        field_count (None | str | Unset): Page size, 1..100 (default 50)
        field_cursor (None | str | Unset): From the next link

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[OperationOutcome | SearchFhirDiagnosticReportsResponse200]
    """

    kwargs = _get_kwargs(
        patient=patient,
        field_count=field_count,
        field_cursor=field_cursor,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    patient: None | str | Unset = UNSET,
    field_count: None | str | Unset = UNSET,
    field_cursor: None | str | Unset = UNSET,
) -> OperationOutcome | SearchFhirDiagnosticReportsResponse200 | None:
    """A patient's lab reports

    Args:
        patient (None | str | Unset): Patient id or Patient/<id>
        field_count (None | str | Unset): Page size, 1..100 (default 50)
        field_cursor (None | str | Unset): From the next link

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        OperationOutcome | SearchFhirDiagnosticReportsResponse200
    """

    return sync_detailed(
        client=client,
        patient=patient,
        field_count=field_count,
        field_cursor=field_cursor,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    patient: None | str | Unset = UNSET,
    field_count: None | str | Unset = UNSET,
    field_cursor: None | str | Unset = UNSET,
) -> Response[OperationOutcome | SearchFhirDiagnosticReportsResponse200]:
    """A patient's lab reports

    Args:
        patient (None | str | Unset): Patient id or Patient/<id>
        field_count (None | str | Unset): Page size, 1..100 (default 50)
        field_cursor (None | str | Unset): From the next link

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[OperationOutcome | SearchFhirDiagnosticReportsResponse200]
    """

    kwargs = _get_kwargs(
        patient=patient,
        field_count=field_count,
        field_cursor=field_cursor,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    patient: None | str | Unset = UNSET,
    field_count: None | str | Unset = UNSET,
    field_cursor: None | str | Unset = UNSET,
) -> OperationOutcome | SearchFhirDiagnosticReportsResponse200 | None:
    """A patient's lab reports

    Args:
        patient (None | str | Unset): Patient id or Patient/<id>
        field_count (None | str | Unset): Page size, 1..100 (default 50)
        field_cursor (None | str | Unset): From the next link

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        OperationOutcome | SearchFhirDiagnosticReportsResponse200
    """

    return (
        await asyncio_detailed(
            client=client,
            patient=patient,
            field_count=field_count,
            field_cursor=field_cursor,
        )
    ).parsed
