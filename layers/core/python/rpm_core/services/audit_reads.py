"""Read entries: what a request let its caller see, written to the trail when the request ends.

The services note each read on the request (``reads``: patient, entity type, ids, grant). The entrypoint
of the surface that served the request calls ``record`` once its answer is ready and successful: one
``read`` entry per patient and entity type, with the caller, the ids, the request id, the source IP and
``via`` (what served it: the route key for REST) and the grant it was seen under (``metadata.grant``, and
``grantId`` for a share or a break-glass), all in one write (``audit_chain.append``: one PutItem,
or one TransactWriteItems for a page of several patients; a page holds at most 100 records), or for more
than 100 entries (a GraphQL query over many patients and entity types) in writes of 100 each. If that write
fails the entrypoint withholds the answer: no patient data leaves without its read being recorded.
"""

from __future__ import annotations

from typing import Any

from rpm_core.context import NotedRead, RequestContext
from rpm_core.services import audit_chain
from rpm_core.services.audit_entries import new_entry


def _grouped(request: RequestContext) -> dict[tuple[str, str], tuple[list[str], NotedRead]]:
    """(patient, entity type) → the ids read, in order, each once, and the first note (its grant)."""
    groups: dict[tuple[str, str], tuple[list[str], NotedRead]] = {}
    for read in request.reads:
        ids, _ = groups.setdefault((read.patient_id, read.entity_type), ([], read))
        ids += [record_id for record_id in read.entity_ids if record_id not in ids]
    return groups


def _grant(read: NotedRead) -> dict[str, str]:
    """Why the caller saw the records; a share or break-glass by its id too."""
    return {"grant": read.grant, **({"grantId": read.grant_id} if read.grant_id else {})}


def entries(request: RequestContext) -> list[dict[str, Any]]:
    """The request's read entries, before they join a chain (none when it noted no read)."""
    via = request.via or "unknown"
    actor = request.principal.user_id if request.principal else "unknown"
    return [
        new_entry(
            action="read",
            actor=actor,
            entity_type=entity,
            entity_id=ids[0] if len(ids) == 1 else patient,
            summary=f"{len(ids) or 'no'} {entity} record(s) of patient {patient} read via {via}",
            patient_id=patient,
            request_id=request.request_id,
            source_ip=request.source_ip,
            metadata={"route": via, "entityIds": ids, **_grant(first)},
        )
        for (patient, entity), (ids, first) in _grouped(request).items()
    ]


APPEND_LIMIT = 100
"""Entries one ``audit_chain.append`` writes (one TransactWriteItems holds at most 100 items)."""


def record(request: RequestContext) -> list[dict[str, Any]]:
    """Appends the request's read entries, in one write for up to 100 (every REST page: one patient per
    record at most), else in writes of 100 each (a GraphQL query naming many patients and several entity
    types); returns them as stored. A failed write raises: the entrypoint withholds the answer."""
    pending = entries(request)
    stored: list[dict[str, Any]] = []
    for start in range(0, len(pending), APPEND_LIMIT):
        stored += audit_chain.append(pending[start : start + APPEND_LIMIT])
    return stored
