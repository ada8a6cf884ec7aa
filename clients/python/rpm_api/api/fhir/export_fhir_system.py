from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.operation_outcome import OperationOutcome
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    field_type_: list[str] | None | Unset = UNSET,
    field_since: None | str | Unset = UNSET,
    field_output_format: None | str | Unset = UNSET,
    prefer: None | str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(prefer, Unset):
        headers["prefer"] = prefer

    params: dict[str, Any] = {}

    json_field_type_: list[str] | None | Unset
    if isinstance(field_type_, Unset):
        json_field_type_ = UNSET
    elif isinstance(field_type_, list):
        json_field_type_ = field_type_

    else:
        json_field_type_ = field_type_
    params["_type"] = json_field_type_

    json_field_since: None | str | Unset
    if isinstance(field_since, Unset):
        json_field_since = UNSET
    else:
        json_field_since = field_since
    params["_since"] = json_field_since

    json_field_output_format: None | str | Unset
    if isinstance(field_output_format, Unset):
        json_field_output_format = UNSET
    else:
        json_field_output_format = field_output_format
    params["_outputFormat"] = json_field_output_format

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/fhir/$export",
        "params": params,
    }

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> OperationOutcome | None:
    if response.status_code == 202:
        response_202 = OperationOutcome.from_dict(response.json())

        return response_202

    if response.status_code == 400:
        response_400 = OperationOutcome.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = OperationOutcome.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = OperationOutcome.from_dict(response.json())

        return response_403

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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[OperationOutcome]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    field_type_: list[str] | None | Unset = UNSET,
    field_since: None | str | Unset = UNSET,
    field_output_format: None | str | Unset = UNSET,
    prefer: None | str | Unset = UNSET,
) -> Response[OperationOutcome]:
    """Bulk export of every patient's data (admins)

    Args:
        field_type_ (list[str] | None | Unset): Resource types, comma-separated
        field_since (None | str | Unset): Only resources changed since (FHIR instant)
        field_output_format (None | str | Unset): application/fhir+ndjson
        prefer (None | str | Unset): respond-async (required)

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[OperationOutcome]
    """

    kwargs = _get_kwargs(
        field_type_=field_type_,
        field_since=field_since,
        field_output_format=field_output_format,
        prefer=prefer,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    field_type_: list[str] | None | Unset = UNSET,
    field_since: None | str | Unset = UNSET,
    field_output_format: None | str | Unset = UNSET,
    prefer: None | str | Unset = UNSET,
) -> OperationOutcome | None:
    """Bulk export of every patient's data (admins)

    Args:
        field_type_ (list[str] | None | Unset): Resource types, comma-separated
        field_since (None | str | Unset): Only resources changed since (FHIR instant)
        field_output_format (None | str | Unset): application/fhir+ndjson
        prefer (None | str | Unset): respond-async (required)

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        OperationOutcome
    """

    return sync_detailed(
        client=client,
        field_type_=field_type_,
        field_since=field_since,
        field_output_format=field_output_format,
        prefer=prefer,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    field_type_: list[str] | None | Unset = UNSET,
    field_since: None | str | Unset = UNSET,
    field_output_format: None | str | Unset = UNSET,
    prefer: None | str | Unset = UNSET,
) -> Response[OperationOutcome]:
    """Bulk export of every patient's data (admins)

    Args:
        field_type_ (list[str] | None | Unset): Resource types, comma-separated
        field_since (None | str | Unset): Only resources changed since (FHIR instant)
        field_output_format (None | str | Unset): application/fhir+ndjson
        prefer (None | str | Unset): respond-async (required)

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[OperationOutcome]
    """

    kwargs = _get_kwargs(
        field_type_=field_type_,
        field_since=field_since,
        field_output_format=field_output_format,
        prefer=prefer,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    field_type_: list[str] | None | Unset = UNSET,
    field_since: None | str | Unset = UNSET,
    field_output_format: None | str | Unset = UNSET,
    prefer: None | str | Unset = UNSET,
) -> OperationOutcome | None:
    """Bulk export of every patient's data (admins)

    Args:
        field_type_ (list[str] | None | Unset): Resource types, comma-separated
        field_since (None | str | Unset): Only resources changed since (FHIR instant)
        field_output_format (None | str | Unset): application/fhir+ndjson
        prefer (None | str | Unset): respond-async (required)

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        OperationOutcome
    """

    return (
        await asyncio_detailed(
            client=client,
            field_type_=field_type_,
            field_since=field_since,
            field_output_format=field_output_format,
            prefer=prefer,
        )
    ).parsed
