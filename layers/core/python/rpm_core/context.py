"""The state of one request: who is calling, the request's ids, and what the request path collected.

The shared HTTP entrypoint (``rpm_core.api.http``) begins a ``RequestContext`` for each invocation and
ends it after the answer; every layer reads it through the functions below (it imports nothing of
``api``, ``services`` or ``data``, so each of them may import it). Outside a request (stream and queue
functions, the WebSocket function, scripts) there is none: ``principal()`` refuses, the prefetched
items are neither kept nor served, and reads are not noted.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from rpm_core.auth import Principal
from rpm_core.errors import Unauthorized

Slot = tuple[str, str]
"""A prefetched item's place: its table's name and its key as sorted JSON (``request_reads.KeyRead.slot``)."""


@dataclass(frozen=True)
class NotedRead:
    """Records of one patient a service let the caller see (``rpm_core.services.reads``)."""

    patient_id: str
    entity_type: str
    """What the records are, as the trail names them: ``LabResult``, ``Message``…"""
    entity_ids: tuple[str, ...]
    """Their ids, in the order served; none for an empty list (which still tells something of the patient)."""
    grant: str
    """Why the caller may see them: ``care_team``, ``self``, ``admin``, ``share`` or ``break_glass``
    (``access.Relation``)."""
    grant_id: str | None = None
    """The share's or the break-glass record's id, when the grant is one of those."""


@dataclass
class RequestContext:
    request_id: str | None = None
    source_ip: str | None = None
    principal: Principal | None = None
    """The authenticated caller; None on public routes (and until the entrypoint authenticated)."""
    prefetched: dict[Slot, dict[str, Any] | None] = field(default_factory=dict)
    """Items (or their absence) the request's one ``BatchGetItem`` read, each served once
    (``rpm_core.data.request_reads``)."""
    via: str | None = None
    """What served the request, as its surface names it (REST: the route key, ``GET /patients``); the read
    entries name it."""
    reads: list[NotedRead] = field(default_factory=list)
    """What the request let the caller see, in order: written as its read entries when it ends
    (``rpm_core.services.audit_reads``)."""
    grants: dict[tuple[str, str], Any] | None = None
    """The caller's relation to each patient decided so far, when the surface keeps them for the request
    (a GraphQL query asks about one patient from many fields; REST asks once and keeps none): (caller,
    patient) → ``access.PatientGrant``, or None for a patient the caller may not see."""


_current: ContextVar[RequestContext | None] = ContextVar("rpm_request_context", default=None)


@contextmanager
def request_scope(context: RequestContext) -> Iterator[RequestContext]:
    """``context`` is the current request's until the block ends (a context variable: concurrent
    invocations, threads locally, never share it)."""
    token = _current.set(context)
    try:
        yield context
    finally:
        _current.reset(token)


def current() -> RequestContext | None:
    return _current.get()


def principal() -> Principal:
    """The caller, authenticated by the entrypoint from the JWT authorizer's claims."""
    context = _current.get()
    if context is None or context.principal is None:
        raise Unauthorized("Sign in first: send Authorization: Bearer <accessToken>.")
    return context.principal


def request_id() -> str:
    context = _current.get()
    return (context.request_id if context else None) or "unknown"


def source_ip() -> str | None:
    """The caller's IP as API Gateway saw it (for the audit trail)."""
    context = _current.get()
    return context.source_ip if context else None


def note_read(read: NotedRead) -> None:
    """The request lets its caller see these records (outside a request: nothing to note)."""
    context = _current.get()
    if context is not None:
        context.reads.append(read)
