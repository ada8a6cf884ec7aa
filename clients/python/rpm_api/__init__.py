"""A client library for accessing Remote Patient Monitoring API"""

from .client import AuthenticatedClient, Client

__all__ = (
    "AuthenticatedClient",
    "Client",
)
