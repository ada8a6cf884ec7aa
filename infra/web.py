"""What the web app (``web/``) runs under wherever it is served: the local gateway (``infra.local.webapp``) and
CloudFront (``infra.constructs.webapp``) send the same Content-Security-Policy."""

from __future__ import annotations


def content_security_policy(connect: tuple[str, ...], images: tuple[str, ...] = ()) -> str:
    """The policy the app runs under, locally and deployed (``infra.constructs.webapp``)."""
    return "; ".join(
        [
            "default-src 'none'",
            "script-src 'self'",
            "style-src 'self'",
            " ".join(("img-src", "'self'", "data:", "blob:", *images)),
            "font-src 'self'",
            " ".join(("connect-src", "'self'", *connect)),
            "manifest-src 'self'",
            "base-uri 'none'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ]
    )
