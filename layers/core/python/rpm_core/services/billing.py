"""The RPM billing report: which of a month's facts support which codes, per patient, a page at a time.

Who: admins page over every profile, clinicians over the patients on whose care team they are; one patient
with ``patient_id`` (visible to the caller, else 404); nobody else (403). Per patient on the page it reads
three things, whatever the history's length: the day items up to the month's end (one Query, keys and
counts only), and the month's review and interaction logs (one Query per kind). The rules are in
``rpm_core.services.billing_rules``; the records returned are plain dicts (JSON-ready), the CSV is
``csv_text`` of the same page.
"""

from __future__ import annotations

import csv
import io
from datetime import date
from typing import Any

from rpm_core import clock
from rpm_core.auth import Principal
from rpm_core.data import care_teams as team_store
from rpm_core.data import device_data as reading_store
from rpm_core.data import monitoring as log_store
from rpm_core.data import patients as patient_store
from rpm_core.errors import NotFound
from rpm_core.services import billing_rules, reads
from rpm_core.services.access import Relation, patient_grant, require_staff

CSV_COLUMNS = (
    "month",
    "patient",
    "timeZone",
    "billingPractitioner",
    "managementMinutes",
    "interactiveContacts",
    "code",
    "units",
    "periodStart",
    "periodEnd",
    "evidence",
)


def _facts(profile: dict[str, Any], month: str) -> dict[str, Any]:
    patient_id, zone = str(profile["patientId"]), str(profile.get("timeZone") or clock.DEFAULT_ZONE)
    first, last = clock.month_days(month)
    days = [date.fromisoformat(day) for day in reading_store.transmitted_days(patient_id, last.isoformat())]
    start, end = clock.month_span_utc(month, zone)
    logs = [
        billing_rules.ManagementLog(
            log_id=str(item["logId"]),
            day=clock.local_date(str(item["timestamp"]), zone),
            minutes=int(item.get("durationMinutes") or 0),
            interactive=bool(item.get("interactive")) and item.get("kind") == "interaction",
            author=item.get("authorId"),
        )
        for item in log_store.management_logs(patient_id, start, end)
    ]
    found = billing_rules.assess(first, last, days, logs, profile.get("billingPractitioner"))
    today = clock.local_date(clock.now(), zone)
    return {
        "patient": patient_id,
        "timeZone": zone,
        "billingPractitioner": found.practitioner,
        "devicePeriods": [
            {
                "start": period.start.isoformat(),
                "end": period.end.isoformat(),
                "daysWithTransmittedReadings": len(period.days),
                "complete": period.end < today,
            }
            for period in found.periods
        ],
        "managementMinutes": found.minutes,
        "interactiveContacts": len(found.interactive),
        "codes": [
            {**code, "periodStart": code["periodStart"].isoformat(), "periodEnd": code["periodEnd"].isoformat()}
            for code in found.codes
        ],
    }


def _profiles(
    principal: Principal, patient_id: str | None, limit: int, cursor: str | None, scope: str
) -> tuple[list[dict[str, Any]], str | None]:
    if patient_id is not None:  # the caller's own patients only: a share or a break-glass window bills nothing
        grant = patient_grant(principal, patient_id)
        if grant.relation not in (Relation.ADMIN, Relation.CARE_TEAM):
            raise NotFound(f"Patient {patient_id} was not found.")
        return [grant.patient], None
    if principal.is_admin:
        page = patient_store.list_patients(limit=limit, cursor=cursor, scope=scope)
        return page.items, page.next_cursor
    seats = team_store.list_patient_ids(principal.user_id, limit=limit, cursor=cursor, scope=scope)
    return patient_store.get_patients([seat["patientId"] for seat in seats.items]), seats.next_cursor


def report(
    principal: Principal, month: str, *, patient_id: str | None, limit: int, cursor: str | None
) -> dict[str, Any]:
    """``{month, generatedAt, items, nextCursor}`` for one page of the caller's patients (admins: all)."""
    require_staff(principal)
    scope = f"rpm-billing|{principal.user_id}|{principal.role}|{month}"
    profiles, next_cursor = _profiles(principal, patient_id, limit, cursor, scope)
    items = [_facts(profile, month) for profile in profiles]
    # each patient's facts for the month (no record ids: the report is computed, not stored)
    reads.across_patients(principal, "BillingReport", ((item["patient"], None) for item in items))
    return {"month": month, "generatedAt": clock.now_iso(), "items": items, "nextCursor": next_cursor}


def csv_rows(page: dict[str, Any]) -> list[dict[str, Any]]:
    """One row per patient and code; a patient without a code has one row with the code empty."""
    rows: list[dict[str, Any]] = []
    for item in page["items"]:
        base = {
            "month": page["month"],
            "patient": item["patient"],
            "timeZone": item["timeZone"],
            "billingPractitioner": item["billingPractitioner"] or "",
            "managementMinutes": item["managementMinutes"],
            "interactiveContacts": item["interactiveContacts"],
        }
        codes = item["codes"] or [{"code": "", "units": "", "periodStart": "", "periodEnd": "", "evidence": []}]
        rows += [{**base, **code, "evidence": " ".join(code["evidence"])} for code in codes]
    return rows


def csv_text(page: dict[str, Any], *, header: bool = True) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, lineterminator="\r\n")
    if header:
        writer.writeheader()
    writer.writerows(csv_rows(page))
    return out.getvalue()
