from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.device_data_blood_pressure import DeviceDataBloodPressure
from ...models.device_data_create_blood_pressure import DeviceDataCreateBloodPressure
from ...models.device_data_create_glucometer import DeviceDataCreateGlucometer
from ...models.device_data_create_heart_rate import DeviceDataCreateHeartRate
from ...models.device_data_create_pulse_oximeter import DeviceDataCreatePulseOximeter
from ...models.device_data_create_thermometer import DeviceDataCreateThermometer
from ...models.device_data_create_weight_scale import DeviceDataCreateWeightScale
from ...models.device_data_glucometer import DeviceDataGlucometer
from ...models.device_data_heart_rate import DeviceDataHeartRate
from ...models.device_data_pulse_oximeter import DeviceDataPulseOximeter
from ...models.device_data_thermometer import DeviceDataThermometer
from ...models.device_data_weight_scale import DeviceDataWeightScale
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    patient_id: str,
    *,
    body: DeviceDataCreateBloodPressure
    | DeviceDataCreateGlucometer
    | DeviceDataCreateHeartRate
    | DeviceDataCreatePulseOximeter
    | DeviceDataCreateThermometer
    | DeviceDataCreateWeightScale,
    idempotency_key: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(idempotency_key, Unset):
        headers["Idempotency-Key"] = idempotency_key

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/patients/{patient_id}/device-data".format(
            patient_id=quote(str(patient_id), safe=""),
        ),
    }

    if isinstance(body, DeviceDataCreateBloodPressure):
        _kwargs["json"] = body.to_dict()
    elif isinstance(body, DeviceDataCreatePulseOximeter):
        _kwargs["json"] = body.to_dict()
    elif isinstance(body, DeviceDataCreateHeartRate):
        _kwargs["json"] = body.to_dict()
    elif isinstance(body, DeviceDataCreateGlucometer):
        _kwargs["json"] = body.to_dict()
    elif isinstance(body, DeviceDataCreateWeightScale):
        _kwargs["json"] = body.to_dict()
    else:
        _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> (
    DeviceDataBloodPressure
    | DeviceDataGlucometer
    | DeviceDataHeartRate
    | DeviceDataPulseOximeter
    | DeviceDataThermometer
    | DeviceDataWeightScale
    | Problem
    | None
):
    if response.status_code == 201:

        def _parse_response_201(
            data: object,
        ) -> (
            DeviceDataBloodPressure
            | DeviceDataGlucometer
            | DeviceDataHeartRate
            | DeviceDataPulseOximeter
            | DeviceDataThermometer
            | DeviceDataWeightScale
        ):
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_device_data_type_0 = DeviceDataBloodPressure.from_dict(data)

                return componentsschemas_device_data_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_device_data_type_1 = DeviceDataPulseOximeter.from_dict(data)

                return componentsschemas_device_data_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_device_data_type_2 = DeviceDataHeartRate.from_dict(data)

                return componentsschemas_device_data_type_2
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_device_data_type_3 = DeviceDataGlucometer.from_dict(data)

                return componentsschemas_device_data_type_3
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_device_data_type_4 = DeviceDataWeightScale.from_dict(data)

                return componentsschemas_device_data_type_4
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            if not isinstance(data, dict):
                raise TypeError()
            componentsschemas_device_data_type_5 = DeviceDataThermometer.from_dict(data)

            return componentsschemas_device_data_type_5

        response_201 = _parse_response_201(response.json())

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
) -> Response[
    DeviceDataBloodPressure
    | DeviceDataGlucometer
    | DeviceDataHeartRate
    | DeviceDataPulseOximeter
    | DeviceDataThermometer
    | DeviceDataWeightScale
    | Problem
]:
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
    body: DeviceDataCreateBloodPressure
    | DeviceDataCreateGlucometer
    | DeviceDataCreateHeartRate
    | DeviceDataCreatePulseOximeter
    | DeviceDataCreateThermometer
    | DeviceDataCreateWeightScale,
    idempotency_key: str | Unset = UNSET,
) -> Response[
    DeviceDataBloodPressure
    | DeviceDataGlucometer
    | DeviceDataHeartRate
    | DeviceDataPulseOximeter
    | DeviceDataThermometer
    | DeviceDataWeightScale
    | Problem
]:
    """Publish a reading by hand (care team)

    Args:
        patient_id (str): An object id
        idempotency_key (str | Unset):
        body (DeviceDataCreateBloodPressure | DeviceDataCreateGlucometer |
            DeviceDataCreateHeartRate | DeviceDataCreatePulseOximeter | DeviceDataCreateThermometer |
            DeviceDataCreateWeightScale): DeviceDataCreate: one variant per deviceType, whose
            dataPayload is that type's payload

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[DeviceDataBloodPressure | DeviceDataGlucometer | DeviceDataHeartRate | DeviceDataPulseOximeter | DeviceDataThermometer | DeviceDataWeightScale | Problem]
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
    body: DeviceDataCreateBloodPressure
    | DeviceDataCreateGlucometer
    | DeviceDataCreateHeartRate
    | DeviceDataCreatePulseOximeter
    | DeviceDataCreateThermometer
    | DeviceDataCreateWeightScale,
    idempotency_key: str | Unset = UNSET,
) -> (
    DeviceDataBloodPressure
    | DeviceDataGlucometer
    | DeviceDataHeartRate
    | DeviceDataPulseOximeter
    | DeviceDataThermometer
    | DeviceDataWeightScale
    | Problem
    | None
):
    """Publish a reading by hand (care team)

    Args:
        patient_id (str): An object id
        idempotency_key (str | Unset):
        body (DeviceDataCreateBloodPressure | DeviceDataCreateGlucometer |
            DeviceDataCreateHeartRate | DeviceDataCreatePulseOximeter | DeviceDataCreateThermometer |
            DeviceDataCreateWeightScale): DeviceDataCreate: one variant per deviceType, whose
            dataPayload is that type's payload

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        DeviceDataBloodPressure | DeviceDataGlucometer | DeviceDataHeartRate | DeviceDataPulseOximeter | DeviceDataThermometer | DeviceDataWeightScale | Problem
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
    body: DeviceDataCreateBloodPressure
    | DeviceDataCreateGlucometer
    | DeviceDataCreateHeartRate
    | DeviceDataCreatePulseOximeter
    | DeviceDataCreateThermometer
    | DeviceDataCreateWeightScale,
    idempotency_key: str | Unset = UNSET,
) -> Response[
    DeviceDataBloodPressure
    | DeviceDataGlucometer
    | DeviceDataHeartRate
    | DeviceDataPulseOximeter
    | DeviceDataThermometer
    | DeviceDataWeightScale
    | Problem
]:
    """Publish a reading by hand (care team)

    Args:
        patient_id (str): An object id
        idempotency_key (str | Unset):
        body (DeviceDataCreateBloodPressure | DeviceDataCreateGlucometer |
            DeviceDataCreateHeartRate | DeviceDataCreatePulseOximeter | DeviceDataCreateThermometer |
            DeviceDataCreateWeightScale): DeviceDataCreate: one variant per deviceType, whose
            dataPayload is that type's payload

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[DeviceDataBloodPressure | DeviceDataGlucometer | DeviceDataHeartRate | DeviceDataPulseOximeter | DeviceDataThermometer | DeviceDataWeightScale | Problem]
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
    body: DeviceDataCreateBloodPressure
    | DeviceDataCreateGlucometer
    | DeviceDataCreateHeartRate
    | DeviceDataCreatePulseOximeter
    | DeviceDataCreateThermometer
    | DeviceDataCreateWeightScale,
    idempotency_key: str | Unset = UNSET,
) -> (
    DeviceDataBloodPressure
    | DeviceDataGlucometer
    | DeviceDataHeartRate
    | DeviceDataPulseOximeter
    | DeviceDataThermometer
    | DeviceDataWeightScale
    | Problem
    | None
):
    """Publish a reading by hand (care team)

    Args:
        patient_id (str): An object id
        idempotency_key (str | Unset):
        body (DeviceDataCreateBloodPressure | DeviceDataCreateGlucometer |
            DeviceDataCreateHeartRate | DeviceDataCreatePulseOximeter | DeviceDataCreateThermometer |
            DeviceDataCreateWeightScale): DeviceDataCreate: one variant per deviceType, whose
            dataPayload is that type's payload

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        DeviceDataBloodPressure | DeviceDataGlucometer | DeviceDataHeartRate | DeviceDataPulseOximeter | DeviceDataThermometer | DeviceDataWeightScale | Problem
    """

    return (
        await asyncio_detailed(
            patient_id=patient_id,
            client=client,
            body=body,
            idempotency_key=idempotency_key,
        )
    ).parsed
