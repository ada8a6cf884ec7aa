"""What a service lets its caller see, noted on the request where the records are read.

The service function that decides visibility and reads records for a principal notes them here: whose
records (the patient), what they are (the entity type the trail names), their ids and the grant under which
the caller sees them. When the request ends its entrypoint writes the noted reads as its ``read`` entries
(``audit_reads``), whatever surface served them: REST today, GraphQL or FHIR by calling the same services.
Nothing is noted outside a request (``rpm_core.context``).
"""

from __future__ import annotations

from collections.abc import Iterable

from rpm_core import context
from rpm_core.auth import Principal
from rpm_core.context import NotedRead
from rpm_core.services.access import PatientGrant, relation_of


def _unique(ids: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(str(record_id) for record_id in ids))


def of_patient(grant: PatientGrant, entity_type: str, ids: Iterable[str] = ()) -> None:
    """Records of the grant's patient; no ids: an empty list of them, which still tells about the patient."""
    context.note_read(NotedRead(grant.patient_id, entity_type, _unique(ids), grant.relation.value, grant.grant_id))


def across_patients(principal: Principal, entity_type: str, records: Iterable[tuple[str | None, str | None]]) -> None:
    """Records of a list across patients, as (patient, id) pairs: one note per patient, in order of first
    appearance, under the grant the caller's role gives the list (``access.relation_of``). A record of no
    patient (a staff account, a reading from an unknown device) is no patient's data: nothing is noted. A record
    without an id of its own (computed, as a report's facts) notes the patient alone."""
    by_patient: dict[str, list[str]] = {}
    for patient_id, record_id in records:
        if patient_id:
            by_patient.setdefault(patient_id, []).extend([record_id] if record_id else [])
    grant = relation_of(principal).value
    for patient_id, ids in by_patient.items():
        context.note_read(NotedRead(patient_id, entity_type, _unique(ids), grant))
