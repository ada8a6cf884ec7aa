"""Reading the trail: admins query it by entity, actor or time; a patient reads who saw their records."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from rpm_core.auth import Principal
from rpm_core.data import audit_log as store
from rpm_core.data import users as user_store
from rpm_core.errors import Forbidden
from rpm_core.models.audit import AccessLogEntry, AuditEntry
from rpm_core.models.common import ListResponse
from rpm_core.services import audit_chain, time_range
from rpm_core.services.access import Relation, patient_grant, require_admin


def _bounds(since: datetime | None, until: datetime | None) -> tuple[str | None, str | None]:
    """Index positions (``at`` = createdAt#objectId) of an inclusive time range."""
    low, high = time_range.inclusive(since, until)
    return low, (high + "~" if high else None)


def list_entries(
    principal: Principal,
    *,
    entity_type: str | None,
    entity_id: str | None,
    actor: str | None,
    since: datetime | None,
    until: datetime | None,
    limit: int,
    cursor: str | None,
) -> tuple[list[AuditEntry], str | None]:
    require_admin(principal)
    low, high = _bounds(since, until)
    scope = f"audit|{principal.user_id}|{entity_type}|{entity_id}|{actor}|{low}|{high}"
    if entity_id:  # each filter works alone: an id needs no type
        index, key, value = (
            ("byEntity", "entityKey", f"{entity_type}#{entity_id}")
            if entity_type
            else ("byEntityId", "entityId", entity_id)
        )
        page = store.query_index(
            index, key, value, since=low, until=high, limit=limit, cursor=cursor, scope=scope,
            filters={"actor": actor} if actor else None,
        )  # fmt: skip
    elif actor:
        page = store.query_index(
            "byActor", "actor", actor, since=low, until=high, limit=limit, cursor=cursor, scope=scope,
            filters={"entityType": entity_type} if entity_type else None,
        )  # fmt: skip
    else:
        page = store.query_shards(
            audit_chain.SHARDS, since=low, until=high, limit=limit, cursor=cursor, scope=scope,
            filters={"entityType": entity_type} if entity_type else None,
        )  # fmt: skip
    return [to_model(item) for item in page.items], page.next_cursor


def access_log(
    principal: Principal, patient_id: str, *, limit: int, cursor: str | None
) -> ListResponse[AuditEntry] | ListResponse[AccessLogEntry]:
    """Who read or changed this patient's records, newest first: for the patient (who, what, which record,
    when) and admins (the full entries)."""
    grant = patient_grant(principal, patient_id)
    if grant.relation not in (Relation.ADMIN, Relation.SELF):
        raise Forbidden("Only the patient and admins may read the patient's access log.")
    page = store.query_index(
        "byPatient", "patientId", patient_id, since=None, until=None, limit=limit, cursor=cursor,
        scope=f"access-log|{principal.user_id}|{patient_id}",
    )  # fmt: skip
    if grant.relation == Relation.ADMIN:
        return ListResponse[AuditEntry](items=[to_model(item) for item in page.items], nextCursor=page.next_cursor)
    names = user_store.display_names([str(item["actor"]) for item in page.items]) if page.items else {}
    seen = [
        AccessLogEntry(
            **{key: str(item[key]) for key in ("objectId", "actor", "action", "entityType", "entityId", "createdAt")},
            actorName=names.get(str(item["actor"])),
        )
        for item in page.items
    ]
    return ListResponse[AccessLogEntry](items=seen, nextCursor=page.next_cursor)


def to_model(item: dict[str, Any]) -> AuditEntry:
    fields = {key: value for key, value in item.items() if key in AuditEntry.model_fields}
    return AuditEntry(**audit_chain._plain(fields), patient=item.get("patientId"))
