"""``rpmctl listen``: print live events as they arrive.

    rpmctl listen --email you@example.com --password '…'        # logs in on --api
    rpmctl listen --token <accessToken>                        # or $RPM_TOKEN

Asks the API for a single-use ticket (``POST /live/tickets``) and connects to the WebSocket API with
``?ticket=``, so that the access token never travels in a URL (a stack without tickets, which answers
404, is connected to with ``?token=``); prints each event (``{type, patientId, objectId,
at}``: ids only; fetch the record over HTTP) and pings every 30 s so idle proxies keep the
connection open. Ends on Ctrl-C or when the server closes the connection (a logout does).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import urllib.error
import urllib.request
from typing import Any
from urllib.parse import quote, urlsplit

PING_SECONDS = 30.0


def log_in(api: str, email: str, password: str) -> str:
    if not api.startswith(("http://", "https://")):
        raise SystemExit("--api must be an http(s) URL")
    request = urllib.request.Request(  # noqa: S310 - scheme checked above
        f"{api.rstrip('/')}/auth/login",
        data=json.dumps({"email": email, "password": password}).encode(),
        headers={"content-type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 - scheme checked above
        token: str = json.loads(response.read())["accessToken"]
    return token


def credential(api: str, token: str) -> str:
    """The query string that opens a connection: a fresh ticket, or the token where the API has no tickets."""
    if not api.startswith(("http://", "https://")):
        raise SystemExit("--api must be an http(s) URL")
    request = urllib.request.Request(  # noqa: S310 - scheme checked above
        f"{api.rstrip('/')}/live/tickets", headers={"authorization": f"Bearer {token}"}, method="POST"
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 - scheme checked above
            ticket: str = json.loads(response.read())["ticket"]
    except urllib.error.HTTPError as error:
        if error.code == 404:
            return f"token={quote(token)}"
        raise
    return f"ticket={quote(ticket)}"


def listen(ws_url: str, token: str, api: str) -> int:
    from websockets.exceptions import ConnectionClosed, InvalidStatus  # a console dependency, not the functions'
    from websockets.sync.client import connect

    try:
        query = credential(api, token)
    except urllib.error.HTTPError as refused:
        print(f"rpmctl listen: the token was refused ({refused.code}): sign in again", file=sys.stderr)
        return 1
    try:
        with connect(f"{ws_url.rstrip('/')}/?{query}", open_timeout=10) as socket:
            print(f"connected to {ws_url}; waiting for events (Ctrl-C stops)", file=sys.stderr, flush=True)
            while True:
                try:
                    message = socket.recv(timeout=PING_SECONDS)
                except TimeoutError:
                    socket.send(json.dumps({"action": "ping"}))
                    continue
                event = json.loads(message)
                if event != {"type": "pong"}:
                    print(json.dumps(event), flush=True)
    except InvalidStatus as refused:
        print(
            f"rpmctl listen: the WebSocket API refused the connection ({refused.response.status_code})", file=sys.stderr
        )
        return 1
    except ConnectionClosed:
        print("the server closed the connection (logged out?)", file=sys.stderr)
        return 0
    except KeyboardInterrupt:
        return 0


def add_parser(commands: Any) -> None:
    """The ``listen`` subcommand of ``rpmctl``."""
    sub = commands.add_parser("listen", help="print live events (ids only) from the WebSocket API")
    sub.add_argument(
        "--ws",
        default=os.environ.get("RPM_WS"),
        help="the WebSocket URL (default: $RPM_WS; for an --api on loopback, its port + 1, as make dev serves it; "
        "deployed: the stack's WebSocketUrl output)",
    )
    sub.add_argument("--api", default=os.environ.get("RPM_API", "http://127.0.0.1:3000"), help="the API's base URL")
    sub.add_argument("--token", default=os.environ.get("RPM_TOKEN"), help="an access token (default: $RPM_TOKEN)")
    sub.add_argument("--email", help="log in with this account instead of --token")
    sub.add_argument("--password")


def default_ws(api: str) -> str | None:
    """``make dev``'s WebSocket URL for an API on loopback (its port + 1); None elsewhere."""
    parts = urlsplit(api)
    if parts.scheme == "http" and parts.hostname in ("127.0.0.1", "localhost", "::1") and parts.port:
        return f"ws://{parts.hostname}:{parts.port + 1}"
    return None


def run(options: argparse.Namespace) -> int:
    """Says what went wrong in a line (no traceback): a refused sign-in, an API or WebSocket not reachable."""
    ws = options.ws or default_ws(options.api)
    if not ws:
        raise SystemExit("rpmctl listen: give --ws (or $RPM_WS): the stack's WebSocket URL, its WebSocketUrl output")
    token = options.token
    try:
        if not token:
            if not (options.email and options.password):
                raise SystemExit("rpmctl listen: give --token (or $RPM_TOKEN), or --email and --password to log in")
            token = log_in(options.api, options.email, options.password)
        return listen(ws, token, options.api)
    except urllib.error.HTTPError as refused:
        raise SystemExit(f"rpmctl listen: sign-in refused ({refused.code}): check --email and --password") from None
    except urllib.error.URLError as error:
        raise SystemExit(f"rpmctl listen: cannot reach the API at {options.api} ({error.reason})") from None
    except OSError as error:
        raise SystemExit(
            f"rpmctl listen: cannot connect to {ws} ({error.strerror or error}); is the stack running? "
            "make dev prints its WebSocket URL (WS_PORT)"
        ) from None
