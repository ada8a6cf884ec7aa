from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...models.sso_token_request import SsoTokenRequest
from ...models.token_response import TokenResponse
from ...types import Response


def _get_kwargs(
    *,
    body: SsoTokenRequest,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/auth/sso/token",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Problem | TokenResponse | None:
    if response.status_code == 200:
        response_200 = TokenResponse.from_dict(response.json())

        return response_200

    if response.status_code == 400:
        response_400 = Problem.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = Problem.from_dict(response.json())

        return response_401

    if response.status_code == 404:
        response_404 = Problem.from_dict(response.json())

        return response_404

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

    if response.status_code == 503:
        response_503 = Problem.from_dict(response.json())

        return response_503

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[Problem | TokenResponse]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: SsoTokenRequest,
) -> Response[Problem | TokenResponse]:
    """Tokens for a single sign-on code

     The code the hosted sign-in sent to `redirectUri`, with the PKCE code verifier, for the same tokens
    as `POST /auth/login`. A federated user's first sign-in makes their account, with the role the
    deployment maps the provider's groups to. A used, expired or foreign code, or a verifier that does
    not match, is a 400.

    Args:
        body (SsoTokenRequest): Bounded here; what makes a grant valid (the code, the verifier's
            form and match, the redirect URI) is the
            exchange's to judge: any of them wrong is a 400, as OAuth's ``invalid_grant``.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | TokenResponse]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    body: SsoTokenRequest,
) -> Problem | TokenResponse | None:
    """Tokens for a single sign-on code

     The code the hosted sign-in sent to `redirectUri`, with the PKCE code verifier, for the same tokens
    as `POST /auth/login`. A federated user's first sign-in makes their account, with the role the
    deployment maps the provider's groups to. A used, expired or foreign code, or a verifier that does
    not match, is a 400.

    Args:
        body (SsoTokenRequest): Bounded here; what makes a grant valid (the code, the verifier's
            form and match, the redirect URI) is the
            exchange's to judge: any of them wrong is a 400, as OAuth's ``invalid_grant``.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | TokenResponse
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: SsoTokenRequest,
) -> Response[Problem | TokenResponse]:
    """Tokens for a single sign-on code

     The code the hosted sign-in sent to `redirectUri`, with the PKCE code verifier, for the same tokens
    as `POST /auth/login`. A federated user's first sign-in makes their account, with the role the
    deployment maps the provider's groups to. A used, expired or foreign code, or a verifier that does
    not match, is a 400.

    Args:
        body (SsoTokenRequest): Bounded here; what makes a grant valid (the code, the verifier's
            form and match, the redirect URI) is the
            exchange's to judge: any of them wrong is a 400, as OAuth's ``invalid_grant``.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | TokenResponse]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    body: SsoTokenRequest,
) -> Problem | TokenResponse | None:
    """Tokens for a single sign-on code

     The code the hosted sign-in sent to `redirectUri`, with the PKCE code verifier, for the same tokens
    as `POST /auth/login`. A federated user's first sign-in makes their account, with the role the
    deployment maps the provider's groups to. A used, expired or foreign code, or a verifier that does
    not match, is a 400.

    Args:
        body (SsoTokenRequest): Bounded here; what makes a grant valid (the code, the verifier's
            form and match, the redirect URI) is the
            exchange's to judge: any of them wrong is a 400, as OAuth's ``invalid_grant``.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | TokenResponse
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
