from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...models.treatment_plan import TreatmentPlan
from ...models.treatment_plan_update import TreatmentPlanUpdate
from ...types import Response


def _get_kwargs(
    patient_id: str,
    plan_id: str,
    *,
    body: TreatmentPlanUpdate,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "patch",
        "url": "/patients/{patient_id}/treatment-plans/{plan_id}".format(
            patient_id=quote(str(patient_id), safe=""),
            plan_id=quote(str(plan_id), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Problem | TreatmentPlan | None:
    if response.status_code == 200:
        response_200 = TreatmentPlan.from_dict(response.json())

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
) -> Response[Problem | TreatmentPlan]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    patient_id: str,
    plan_id: str,
    *,
    client: AuthenticatedClient | Client,
    body: TreatmentPlanUpdate,
) -> Response[Problem | TreatmentPlan]:
    """Change, activate, complete or cancel a treatment plan (care team)

     Activating a plan completes the patient's previously active plan in the same transaction.

    Args:
        patient_id (str): An object id
        plan_id (str): An object id
        body (TreatmentPlanUpdate):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | TreatmentPlan]
    """

    kwargs = _get_kwargs(
        patient_id=patient_id,
        plan_id=plan_id,
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    patient_id: str,
    plan_id: str,
    *,
    client: AuthenticatedClient | Client,
    body: TreatmentPlanUpdate,
) -> Problem | TreatmentPlan | None:
    """Change, activate, complete or cancel a treatment plan (care team)

     Activating a plan completes the patient's previously active plan in the same transaction.

    Args:
        patient_id (str): An object id
        plan_id (str): An object id
        body (TreatmentPlanUpdate):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | TreatmentPlan
    """

    return sync_detailed(
        patient_id=patient_id,
        plan_id=plan_id,
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    patient_id: str,
    plan_id: str,
    *,
    client: AuthenticatedClient | Client,
    body: TreatmentPlanUpdate,
) -> Response[Problem | TreatmentPlan]:
    """Change, activate, complete or cancel a treatment plan (care team)

     Activating a plan completes the patient's previously active plan in the same transaction.

    Args:
        patient_id (str): An object id
        plan_id (str): An object id
        body (TreatmentPlanUpdate):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | TreatmentPlan]
    """

    kwargs = _get_kwargs(
        patient_id=patient_id,
        plan_id=plan_id,
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    patient_id: str,
    plan_id: str,
    *,
    client: AuthenticatedClient | Client,
    body: TreatmentPlanUpdate,
) -> Problem | TreatmentPlan | None:
    """Change, activate, complete or cancel a treatment plan (care team)

     Activating a plan completes the patient's previously active plan in the same transaction.

    Args:
        patient_id (str): An object id
        plan_id (str): An object id
        body (TreatmentPlanUpdate):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | TreatmentPlan
    """

    return (
        await asyncio_detailed(
            patient_id=patient_id,
            plan_id=plan_id,
            client=client,
            body=body,
        )
    ).parsed
