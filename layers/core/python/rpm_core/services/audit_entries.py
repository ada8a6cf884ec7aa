"""An audit entry's shape before it joins a chain (``audit_queries.to_model`` gives it as the API answers it).

Entries hold ids and field names only, never a record's values: the trail can be read without
reading patient data, and logs or exports of it carry none.
"""

from __future__ import annotations

import uuid
from typing import Any

from rpm_core.clock import now_iso
from rpm_core.data.items import without_none


def new_entry(
    *,
    action: str,
    actor: str,
    entity_type: str,
    entity_id: str,
    summary: str,
    actor_kind: str = "user",
    patient_id: str | None = None,
    request_id: str | None = None,
    source_ip: str | None = None,
    metadata: dict[str, Any] | None = None,
    object_id: str | None = None,
) -> dict[str, Any]:
    """An entry before it joins a chain (``audit_chain.append`` adds shard, seq, prevHash and hash)."""
    object_id = object_id or uuid.uuid4().hex
    created_at = now_iso()
    entity_id = entity_id or "-"
    return without_none(
        {
            "objectId": object_id,
            "action": action,
            "actor": actor or "unknown",
            "actorKind": actor_kind,
            "entityType": entity_type,
            "entityId": entity_id,
            "entityKey": f"{entity_type}#{entity_id}",
            "patientId": patient_id or None,
            "summary": summary,
            "metadata": metadata or None,
            "requestId": request_id or None,
            "sourceIp": source_ip or None,
            "createdAt": created_at,
            "at": f"{created_at}#{object_id}",
        }
    )
