"""Reports (``/reports/rpm-billing``): what a month's data supports under the RPM billing codes.

JSON by default; ``Accept: text/csv`` answers the same page as CSV (one row per patient and code), the next
page's cursor in ``X-Next-Cursor`` and a ``Link: <…>; rel="next"`` header.
"""

from __future__ import annotations

import urllib.parse
from typing import Annotated

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.openapi.params import Header, Query
from aws_lambda_powertools.event_handler.router import APIGatewayHttpRouter

from rpm_core import cold_start, context
from rpm_core.api import http
from rpm_core.api.docs import Cursor, Limit, route
from rpm_core.models.common import Identifier
from rpm_core.models.devices import Month
from rpm_core.models.reports import BillingReport
from rpm_core.services import billing

router = APIGatewayHttpRouter()
TAGS = ["reports"]
CSV = "text/csv"
Accept = Annotated[str | None, Header(alias="accept", max_length=256, description="text/csv for CSV")]

BILLING = route(
    "RPM billing report: device periods, management minutes and candidate codes per patient (staff)",
    problems=(404,),
    tags=TAGS,
    reads="BillingReport",
    operation_id="getBillingReport",
    description="Admins: every patient; clinicians: their patients. The report states facts and candidate codes "
    "under the CY2026 physician fee schedule; billing decisions stay with the practice.",
)
BILLING["responses"][200]["content"] = {
    "application/json": {"model": BillingReport},
    CSV: {
        "schema": {"type": "string", "description": "One row per patient and code: " + ",".join(billing.CSV_COLUMNS)}
    },
}


def _wants_csv(accept: str | None) -> bool:
    return any(part.split(";")[0].strip().lower() == CSV for part in (accept or "").split(","))


@router.get("/reports/rpm-billing", **BILLING)
def rpm_billing(
    month: Annotated[Month, Query(description="YYYY-MM (each patient's calendar month in their time zone)")],
    patientId: Annotated[Identifier | None, Query(description="One patient only")] = None,
    limit: Limit = 50,
    cursor: Cursor = None,
    accept: Accept = None,
) -> Response[BillingReport | str]:
    page = billing.report(context.principal(), month, patient_id=patientId, limit=limit, cursor=cursor)
    headers = {"Vary": "Accept"}
    if not _wants_csv(accept):
        body = BillingReport.model_validate(page)
        return Response(status_code=200, content_type="application/json", body=body, headers=headers)
    if page["nextCursor"]:
        query = urllib.parse.urlencode({"month": month, "limit": limit, "cursor": page["nextCursor"]})
        headers |= {"X-Next-Cursor": page["nextCursor"], "Link": f'</reports/rpm-billing?{query}>; rel="next"'}
    return Response(status_code=200, content_type=f"{CSV}; charset=utf-8", body=billing.csv_text(page), headers=headers)


app = http.resolver(router, service="reports")
lambda_handler = http.entrypoint(app, service="reports")

lambda_handler = cold_start.ends_with_first_invocation(lambda_handler)
