from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.device_data_blood_pressure import DeviceDataBloodPressure
from ...models.device_data_glucometer import DeviceDataGlucometer
from ...models.device_data_heart_rate import DeviceDataHeartRate
from ...models.device_data_pulse_oximeter import DeviceDataPulseOximeter
from ...models.device_data_thermometer import DeviceDataThermometer
from ...models.device_data_weight_scale import DeviceDataWeightScale
from ...models.problem import Problem
from ...types import Response


def _get_kwargs(
    patient_id: str,
    data_id: str,
) -> dict[str, Any]:

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/patients/{patient_id}/device-data/{data_id}".format(
            patient_id=quote(str(patient_id), safe=""),
            data_id=quote(str(data_id), safe=""),
        ),
    }

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
    if response.status_code == 200:

        def _parse_response_200(
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

        response_200 = _parse_response_200(response.json())

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
    data_id: str,
    *,
    client: AuthenticatedClient | Client,
) -> Response[
    DeviceDataBloodPressure
    | DeviceDataGlucometer
    | DeviceDataHeartRate
    | DeviceDataPulseOximeter
    | DeviceDataThermometer
    | DeviceDataWeightScale
    | Problem
]:
    """A reading (latest version)

    Args:
        patient_id (str): An object id
        data_id (str): An object id

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[DeviceDataBloodPressure | DeviceDataGlucometer | DeviceDataHeartRate | DeviceDataPulseOximeter | DeviceDataThermometer | DeviceDataWeightScale | Problem]
    """

    kwargs = _get_kwargs(
        patient_id=patient_id,
        data_id=data_id,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    patient_id: str,
    data_id: str,
    *,
    client: AuthenticatedClient | Client,
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
    """A reading (latest version)

    Args:
        patient_id (str): An object id
        data_id (str): An object id

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        DeviceDataBloodPressure | DeviceDataGlucometer | DeviceDataHeartRate | DeviceDataPulseOximeter | DeviceDataThermometer | DeviceDataWeightScale | Problem
    """

    return sync_detailed(
        patient_id=patient_id,
        data_id=data_id,
        client=client,
    ).parsed


async def asyncio_detailed(
    patient_id: str,
    data_id: str,
    *,
    client: AuthenticatedClient | Client,
) -> Response[
    DeviceDataBloodPressure
    | DeviceDataGlucometer
    | DeviceDataHeartRate
    | DeviceDataPulseOximeter
    | DeviceDataThermometer
    | DeviceDataWeightScale
    | Problem
]:
    """A reading (latest version)

    Args:
        patient_id (str): An object id
        data_id (str): An object id

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[DeviceDataBloodPressure | DeviceDataGlucometer | DeviceDataHeartRate | DeviceDataPulseOximeter | DeviceDataThermometer | DeviceDataWeightScale | Problem]
    """

    kwargs = _get_kwargs(
        patient_id=patient_id,
        data_id=data_id,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    patient_id: str,
    data_id: str,
    *,
    client: AuthenticatedClient | Client,
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
    """A reading (latest version)

    Args:
        patient_id (str): An object id
        data_id (str): An object id

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        DeviceDataBloodPressure | DeviceDataGlucometer | DeviceDataHeartRate | DeviceDataPulseOximeter | DeviceDataThermometer | DeviceDataWeightScale | Problem
    """

    return (
        await asyncio_detailed(
            patient_id=patient_id,
            data_id=data_id,
            client=client,
        )
    ).parsed
