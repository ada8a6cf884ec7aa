"""The web app (``web/dist``, built by ``make web``) served at ``/app/`` on the gateway's port, as CloudFront
serves it deployed: its ``config.json`` names this stack's API and WebSocket URLs, and every answer carries the
same Content-Security-Policy (this origin, the WebSocket API and the attachment store only). ``GET /`` → 302
to ``/app/``."""

from __future__ import annotations

import json
import mimetypes
from dataclasses import dataclass
from pathlib import Path

from werkzeug.wrappers import Request, Response

from infra.paths import ROOT
from infra.web import content_security_policy

DIST = ROOT / "web" / "dist"
PREFIX = "/app/"


@dataclass
class LocalWebApp:
    api_url: str
    ws_url: str
    storage_url: str
    """Where presigned attachment URLs point (moto's endpoint locally)."""
    dist: Path = DIST

    @property
    def policy(self) -> str:
        return content_security_policy((self.ws_url, self.storage_url), (self.storage_url,))

    def handle(self, request: Request) -> Response | None:
        """The answer for ``/`` and ``/app/…``; None for any other path (the API's)."""
        if request.method not in ("GET", "HEAD"):
            return None
        if request.path in ("/", "/app"):
            return Response(status=302, headers={"Location": PREFIX})
        if not request.path.startswith(PREFIX):
            return None
        name = request.path[len(PREFIX) :] or "index.html"
        if name == "config.json":
            body = json.dumps({"apiUrl": self.api_url, "wsUrl": self.ws_url}).encode()
            return self._answer(body, "application/json", cache="no-store")
        path = (self.dist / name).resolve()
        if not path.is_relative_to(self.dist.resolve()) or not path.is_file():
            if not (self.dist / "index.html").is_file():
                return Response(
                    "The web app is not built: run `make web` (make dev does it).", status=503, mimetype="text/plain"
                )
            return Response("Not found", status=404, mimetype="text/plain")
        media_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        if media_type.startswith("text/") or media_type.endswith(("javascript", "json")):
            media_type += "; charset=utf-8"
        return self._answer(path.read_bytes(), media_type, cache="no-cache")

    def _answer(self, body: bytes, media_type: str, cache: str) -> Response:
        return Response(
            body,
            status=200,
            headers={
                "Content-Type": media_type,
                "Cache-Control": cache,
                "Content-Security-Policy": self.policy,
                "X-Content-Type-Options": "nosniff",
                "Referrer-Policy": "no-referrer",
                "X-Frame-Options": "DENY",
            },
        )
