from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    provider: str,
    *,
    redirect_uri: str,
    code_challenge: str,
    state: None | str | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["redirectUri"] = redirect_uri

    params["codeChallenge"] = code_challenge

    json_state: None | str | Unset
    if isinstance(state, Unset):
        json_state = UNSET
    else:
        json_state = state
    params["state"] = json_state

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/auth/sso/{provider}/authorize".format(
            provider=quote(str(provider), safe=""),
        ),
        "params": params,
    }

    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Any | Problem | None:
    if response.status_code == 302:
        response_302 = cast(Any, None)
        return response_302

    if response.status_code == 400:
        response_400 = Problem.from_dict(response.json())

        return response_400

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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Any | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    provider: str,
    *,
    client: AuthenticatedClient | Client,
    redirect_uri: str,
    code_challenge: str,
    state: None | str | Unset = UNSET,
) -> Response[Any | Problem]:
    """Sign in with an identity provider

     Redirects (302, `Location`) to the hosted sign-in of the provider, for the authorization code flow
    with PKCE: make a code verifier, send its S256 challenge here, and exchange the code the hosted
    sign-in sends to `redirectUri` at `POST /auth/sso/token` with the verifier. `redirectUri` must be
    one of the deployment's callback URLs (else 422); `state` (optional) comes back with the code.

    Args:
        provider (str): A provider's name
        redirect_uri (str):
        code_challenge (str): BASE64URL(SHA256(code verifier))
        state (None | str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | Problem]
    """

    kwargs = _get_kwargs(
        provider=provider,
        redirect_uri=redirect_uri,
        code_challenge=code_challenge,
        state=state,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    provider: str,
    *,
    client: AuthenticatedClient | Client,
    redirect_uri: str,
    code_challenge: str,
    state: None | str | Unset = UNSET,
) -> Any | Problem | None:
    """Sign in with an identity provider

     Redirects (302, `Location`) to the hosted sign-in of the provider, for the authorization code flow
    with PKCE: make a code verifier, send its S256 challenge here, and exchange the code the hosted
    sign-in sends to `redirectUri` at `POST /auth/sso/token` with the verifier. `redirectUri` must be
    one of the deployment's callback URLs (else 422); `state` (optional) comes back with the code.

    Args:
        provider (str): A provider's name
        redirect_uri (str):
        code_challenge (str): BASE64URL(SHA256(code verifier))
        state (None | str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | Problem
    """

    return sync_detailed(
        provider=provider,
        client=client,
        redirect_uri=redirect_uri,
        code_challenge=code_challenge,
        state=state,
    ).parsed


async def asyncio_detailed(
    provider: str,
    *,
    client: AuthenticatedClient | Client,
    redirect_uri: str,
    code_challenge: str,
    state: None | str | Unset = UNSET,
) -> Response[Any | Problem]:
    """Sign in with an identity provider

     Redirects (302, `Location`) to the hosted sign-in of the provider, for the authorization code flow
    with PKCE: make a code verifier, send its S256 challenge here, and exchange the code the hosted
    sign-in sends to `redirectUri` at `POST /auth/sso/token` with the verifier. `redirectUri` must be
    one of the deployment's callback URLs (else 422); `state` (optional) comes back with the code.

    Args:
        provider (str): A provider's name
        redirect_uri (str):
        code_challenge (str): BASE64URL(SHA256(code verifier))
        state (None | str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | Problem]
    """

    kwargs = _get_kwargs(
        provider=provider,
        redirect_uri=redirect_uri,
        code_challenge=code_challenge,
        state=state,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    provider: str,
    *,
    client: AuthenticatedClient | Client,
    redirect_uri: str,
    code_challenge: str,
    state: None | str | Unset = UNSET,
) -> Any | Problem | None:
    """Sign in with an identity provider

     Redirects (302, `Location`) to the hosted sign-in of the provider, for the authorization code flow
    with PKCE: make a code verifier, send its S256 challenge here, and exchange the code the hosted
    sign-in sends to `redirectUri` at `POST /auth/sso/token` with the verifier. `redirectUri` must be
    one of the deployment's callback URLs (else 422); `state` (optional) comes back with the code.

    Args:
        provider (str): A provider's name
        redirect_uri (str):
        code_challenge (str): BASE64URL(SHA256(code verifier))
        state (None | str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | Problem
    """

    return (
        await asyncio_detailed(
            provider=provider,
            client=client,
            redirect_uri=redirect_uri,
            code_challenge=code_challenge,
            state=state,
        )
    ).parsed
