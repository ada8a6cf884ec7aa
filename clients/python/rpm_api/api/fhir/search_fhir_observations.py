from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.operation_outcome import OperationOutcome
from ...models.search_fhir_observations_response_200 import (
    SearchFhirObservationsResponse200,
)
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    patient: None | str | Unset = UNSET,
    category: list[str] | None | Unset = UNSET,
    code: list[str] | None | Unset = UNSET,
    date: list[str] | None | Unset = UNSET,
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

    json_category: list[str] | None | Unset
    if isinstance(category, Unset):
        json_category = UNSET
    elif isinstance(category, list):
        json_category = category

    else:
        json_category = category
    params["category"] = json_category

    json_code: list[str] | None | Unset
    if isinstance(code, Unset):
        json_code = UNSET
    elif isinstance(code, list):
        json_code = code

    else:
        json_code = code
    params["code"] = json_code

    json_date: list[str] | None | Unset
    if isinstance(date, Unset):
        json_date = UNSET
    elif isinstance(date, list):
        json_date = date

    else:
        json_date = date
    params["date"] = json_date

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
        "url": "/fhir/Observation",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> OperationOutcome | SearchFhirObservationsResponse200 | None:
    if response.status_code == 200:
        response_200 = SearchFhirObservationsResponse200.from_dict(response.json())

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
) -> Response[OperationOutcome | SearchFhirObservationsResponse200]:
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
    category: list[str] | None | Unset = UNSET,
    code: list[str] | None | Unset = UNSET,
    date: list[str] | None | Unset = UNSET,
    field_count: None | str | Unset = UNSET,
    field_cursor: None | str | Unset = UNSET,
) -> Response[OperationOutcome | SearchFhirObservationsResponse200]:
    """Readings (HL7 Vital Signs profiles) and lab results as Observations

     Readings first (newest recordedAt first), then lab results; category, code and date narrow them. The
    next link carries the same tamper-checked cursor as the REST lists.

    Args:
        patient (None | str | Unset): Patient id or Patient/<id>
        category (list[str] | None | Unset): vital-signs or laboratory
        code (list[str] | None | Unset): system|code, e.g. http://loinc.org|8867-4
        date (list[str] | None | Unset): e.g. ge2026-01-01 (repeat for a range)
        field_count (None | str | Unset): Page size, 1..100 (default 50)
        field_cursor (None | str | Unset): From the next link

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[OperationOutcome | SearchFhirObservationsResponse200]
    """

    kwargs = _get_kwargs(
        patient=patient,
        category=category,
        code=code,
        date=date,
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
    category: list[str] | None | Unset = UNSET,
    code: list[str] | None | Unset = UNSET,
    date: list[str] | None | Unset = UNSET,
    field_count: None | str | Unset = UNSET,
    field_cursor: None | str | Unset = UNSET,
) -> OperationOutcome | SearchFhirObservationsResponse200 | None:
    """Readings (HL7 Vital Signs profiles) and lab results as Observations

     Readings first (newest recordedAt first), then lab results; category, code and date narrow them. The
    next link carries the same tamper-checked cursor as the REST lists.

    Args:
        patient (None | str | Unset): Patient id or Patient/<id>
        category (list[str] | None | Unset): vital-signs or laboratory
        code (list[str] | None | Unset): system|code, e.g. http://loinc.org|8867-4
        date (list[str] | None | Unset): e.g. ge2026-01-01 (repeat for a range)
        field_count (None | str | Unset): Page size, 1..100 (default 50)
        field_cursor (None | str | Unset): From the next link

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        OperationOutcome | SearchFhirObservationsResponse200
    """

    return sync_detailed(
        client=client,
        patient=patient,
        category=category,
        code=code,
        date=date,
        field_count=field_count,
        field_cursor=field_cursor,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    patient: None | str | Unset = UNSET,
    category: list[str] | None | Unset = UNSET,
    code: list[str] | None | Unset = UNSET,
    date: list[str] | None | Unset = UNSET,
    field_count: None | str | Unset = UNSET,
    field_cursor: None | str | Unset = UNSET,
) -> Response[OperationOutcome | SearchFhirObservationsResponse200]:
    """Readings (HL7 Vital Signs profiles) and lab results as Observations

     Readings first (newest recordedAt first), then lab results; category, code and date narrow them. The
    next link carries the same tamper-checked cursor as the REST lists.

    Args:
        patient (None | str | Unset): Patient id or Patient/<id>
        category (list[str] | None | Unset): vital-signs or laboratory
        code (list[str] | None | Unset): system|code, e.g. http://loinc.org|8867-4
        date (list[str] | None | Unset): e.g. ge2026-01-01 (repeat for a range)
        field_count (None | str | Unset): Page size, 1..100 (default 50)
        field_cursor (None | str | Unset): From the next link

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[OperationOutcome | SearchFhirObservationsResponse200]
    """

    kwargs = _get_kwargs(
        patient=patient,
        category=category,
        code=code,
        date=date,
        field_count=field_count,
        field_cursor=field_cursor,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    patient: None | str | Unset = UNSET,
    category: list[str] | None | Unset = UNSET,
    code: list[str] | None | Unset = UNSET,
    date: list[str] | None | Unset = UNSET,
    field_count: None | str | Unset = UNSET,
    field_cursor: None | str | Unset = UNSET,
) -> OperationOutcome | SearchFhirObservationsResponse200 | None:
    """Readings (HL7 Vital Signs profiles) and lab results as Observations

     Readings first (newest recordedAt first), then lab results; category, code and date narrow them. The
    next link carries the same tamper-checked cursor as the REST lists.

    Args:
        patient (None | str | Unset): Patient id or Patient/<id>
        category (list[str] | None | Unset): vital-signs or laboratory
        code (list[str] | None | Unset): system|code, e.g. http://loinc.org|8867-4
        date (list[str] | None | Unset): e.g. ge2026-01-01 (repeat for a range)
        field_count (None | str | Unset): Page size, 1..100 (default 50)
        field_cursor (None | str | Unset): From the next link

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        OperationOutcome | SearchFhirObservationsResponse200
    """

    return (
        await asyncio_detailed(
            client=client,
            patient=patient,
            category=category,
            code=code,
            date=date,
            field_count=field_count,
            field_cursor=field_cursor,
        )
    ).parsed
