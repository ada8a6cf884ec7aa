"""The GraphQL schema: the contract's resources as types (from the models), resolved by the REST services.

Every resolver calls the service function its REST twin calls, with the same arguments, so visibility,
write rules, conflicts and preconditions are the same; a record the caller may not see fails its field
with ``NOT_FOUND`` (``errors.py``). Lists are Relay connections over the services' pages and cursors.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from datetime import datetime
from functools import cache
from typing import Any

from graphql import (
    GraphQLArgument,
    GraphQLBoolean,
    GraphQLField,
    GraphQLID,
    GraphQLInt,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLResolveInfo,
    GraphQLSchema,
    GraphQLString,
)
from pydantic import TypeAdapter

from graphqlapi.resolve import GrantBatch, after, checked, connection, dump, first, model_input, object_id, run
from graphqlapi.types import TypeFactory
from rpm_core import context
from rpm_core.models.clinical import (
    Appointment,
    AppointmentCreate,
    LabResult,
    LabResultCreate,
    LabResultUpdate,
    PlanStatus,
    TreatmentPlan,
)
from rpm_core.models.common import Timestamp
from rpm_core.models.devices import (
    Device,
    DeviceData,
    DeviceDataCorrection,
    DeviceDataCreate,
    DeviceType,
    Month,
    ReadingDays,
)
from rpm_core.models.messaging import MessageCreate, Thread, ThreadCreate, UserMessage
from rpm_core.models.monitoring import (
    AlertStatus,
    LogKind,
    LogStatus,
    MonitoringLog,
    MonitoringLogCreate,
    MonitoringLogUpdate,
    Severity,
    Thresholds,
)
from rpm_core.models.patients import CareTeamMember, PatientProfile
from rpm_core.models.users import Me
from rpm_core.services import (
    accounts,
    appointments,
    devices,
    lab_results,
    messaging,
    monitoring,
    patients,
    readings,
    treatment_plans,
)

Resolver = Callable[..., Coroutine[Any, Any, Any]]
TIMESTAMP: TypeAdapter[datetime] = TypeAdapter(Timestamp)
MONTH: TypeAdapter[str] = TypeAdapter(Month)
DEVICE_TYPE: TypeAdapter[str] = TypeAdapter(DeviceType)
LOG_KIND: TypeAdapter[str] = TypeAdapter(LogKind)
LOG_STATUS: TypeAdapter[str] = TypeAdapter(LogStatus)
ALERT_STATUS: TypeAdapter[str] = TypeAdapter(AlertStatus)
SEVERITY: TypeAdapter[str] = TypeAdapter(Severity)
PLAN_STATUS: TypeAdapter[PlanStatus] = TypeAdapter(PlanStatus)

PAGE_ARGS = {
    "first": GraphQLArgument(GraphQLInt, description="Page size, 1..100 (default 50)"),
    "after": GraphQLArgument(GraphQLString, description="The previous page's pageInfo.endCursor"),
}
TIME_ARGS = {
    "from": GraphQLArgument(GraphQLString, description="Earliest time, inclusive (ISO 8601 with offset)"),
    "to": GraphQLArgument(GraphQLString, description="Latest time, inclusive (ISO 8601 with offset)"),
}
CONNECTION_FIELDS = frozenset(
    {
        "patients",
        "alerts",
        "threads",
        "appointments",
        "careTeam",
        "devices",
        "deviceData",
        "monitoringLogs",
        "labResults",
        "treatmentPlans",
        "messages",
    }
)
"""Fields answering a connection: their ``first`` multiplies the cost of what is below (``limits``)."""


def _principal() -> Any:
    return context.principal()


def _request_id() -> str:
    return context.request_id()


def _page(args: dict[str, Any]) -> dict[str, Any]:
    return {"limit": first(args.get("first")), "cursor": after(args.get("after"))}


def _span(args: dict[str, Any]) -> tuple[datetime | None, datetime | None]:
    return checked(TIMESTAMP, args.get("from"), "from"), checked(TIMESTAMP, args.get("to"), "to")


async def _patient_ready(info: GraphQLResolveInfo, patient_id: str) -> None:
    batch: GrantBatch = info.context["grants"]
    await batch.ready(patient_id)


def patient_field(call: Callable[[dict[str, Any], str, dict[str, Any]], Any]) -> Resolver:
    """A field of a Patient: its grant decided with its siblings' first (one BatchGetItem), then ``call``."""

    async def resolve(parent: dict[str, Any], info: GraphQLResolveInfo, **args: Any) -> Any:
        patient_id = str(parent["objectId"])
        await _patient_ready(info, patient_id)
        return await run(call, parent, patient_id, args)

    return resolve


def _build() -> GraphQLSchema:
    factory = TypeFactory()
    page_info = GraphQLObjectType(
        "PageInfo",
        {
            "hasNextPage": GraphQLField(GraphQLNonNull(GraphQLBoolean)),
            "endCursor": GraphQLField(GraphQLString, description="Pass as `after` for the next page"),
        },
    )

    connections: dict[str, GraphQLObjectType] = {}

    def connection_of(node: GraphQLObjectType) -> GraphQLObjectType:
        if node.name in connections:
            return connections[node.name]
        edge = GraphQLObjectType(
            f"{node.name}Edge",
            {
                "cursor": GraphQLField(
                    GraphQLString, description="The page's endCursor on its last edge (cursors mark pages)"
                ),
                "node": GraphQLField(GraphQLNonNull(node)),
            },
        )
        connections[node.name] = GraphQLObjectType(
            f"{node.name}Connection",
            {
                "edges": GraphQLField(GraphQLNonNull(GraphQLList(GraphQLNonNull(edge)))),
                "pageInfo": GraphQLField(GraphQLNonNull(page_info)),
            },
        )
        return connections[node.name]

    def patient_fields() -> dict[str, GraphQLField]:
        return {
            "careTeam": GraphQLField(
                connection_of(care_team_member),
                args=PAGE_ARGS,
                resolve=patient_field(lambda _, p, a: connection(patients.care_team(_principal(), p, **_page(a)))),
            ),
            "devices": GraphQLField(
                connection_of(device),
                args=PAGE_ARGS,
                resolve=patient_field(lambda _, p, a: connection(devices.list_devices(_principal(), p, **_page(a)))),
            ),
            "deviceData": GraphQLField(
                connection_of(device_data),
                args={"deviceType": GraphQLArgument(GraphQLString), **TIME_ARGS, **PAGE_ARGS},
                resolve=patient_field(
                    lambda _, p, a: connection(
                        readings.list_readings(
                            _principal(),
                            p,
                            device_type=checked(DEVICE_TYPE, a.get("deviceType"), "deviceType"),
                            start=_span(a)[0],
                            end=_span(a)[1],
                            **_page(a),
                        )
                    )
                ),
            ),
            "readingDays": GraphQLField(
                reading_days,
                args={"month": GraphQLArgument(GraphQLNonNull(GraphQLString), description="YYYY-MM")},
                resolve=patient_field(
                    lambda _, p, a: dump(
                        readings.reading_days(_principal(), p, str(checked(MONTH, a["month"], "month")))
                    )
                ),
            ),
            "thresholds": GraphQLField(
                thresholds,
                resolve=patient_field(lambda _, p, a: dump(monitoring.get_thresholds(_principal(), p))),
            ),
            "monitoringLogs": GraphQLField(
                connection_of(monitoring_log),
                args={
                    "kind": GraphQLArgument(GraphQLString),
                    "status": GraphQLArgument(GraphQLString),
                    **TIME_ARGS,
                    **PAGE_ARGS,
                },
                resolve=patient_field(
                    lambda _, p, a: connection(
                        monitoring.list_logs(
                            _principal(),
                            p,
                            kind=checked(LOG_KIND, a.get("kind"), "kind"),
                            status=checked(LOG_STATUS, a.get("status"), "status"),
                            start=_span(a)[0],
                            end=_span(a)[1],
                            **_page(a),
                        )
                    )
                ),
            ),
            "labResults": GraphQLField(
                connection_of(lab_result),
                args=PAGE_ARGS,
                resolve=patient_field(
                    lambda _, p, a: connection(lab_results.list_results(_principal(), p, **_page(a)))
                ),
            ),
            "treatmentPlans": GraphQLField(
                connection_of(treatment_plan),
                args={"status": GraphQLArgument(GraphQLString), **PAGE_ARGS},
                resolve=patient_field(
                    lambda _, p, a: connection(
                        treatment_plans.list_plans(
                            _principal(),
                            p,
                            status=checked(PLAN_STATUS, a.get("status"), "status"),
                            **_page(a),
                        )
                    )
                ),
            ),
            "appointments": GraphQLField(
                connection_of(appointment),
                args={**TIME_ARGS, **PAGE_ARGS},
                resolve=patient_field(
                    lambda _, p, a: connection(
                        appointments.list_for_patient(
                            _principal(), p, start_from=_span(a)[0], start_to=_span(a)[1], **_page(a)
                        )
                    )
                ),
            ),
        }

    async def reading_versions(parent: dict[str, Any], info: GraphQLResolveInfo) -> Any:
        patient_id = str(parent["patient"])
        await _patient_ready(info, patient_id)
        found = await run(readings.reading_versions, _principal(), patient_id, str(parent["objectId"]))
        return [dump(item) for item in found]

    async def thread_messages(parent: dict[str, Any], info: GraphQLResolveInfo, **args: Any) -> Any:
        await _patient_ready(info, str(parent["patient"]))  # the threads' patients' grants in one batch
        page = await run(
            messaging.list_messages, _principal(), str(parent["threadId"]), **_page(args), request_id=_request_id()
        )
        return connection(page)

    care_team_member: GraphQLObjectType = factory.object(CareTeamMember)
    device: GraphQLObjectType = factory.object(Device)
    device_data: GraphQLObjectType = factory.object(
        DeviceData,
        lambda: {"versions": GraphQLField(GraphQLList(GraphQLNonNull(device_data)), resolve=reading_versions)},
    )
    reading_days: GraphQLObjectType = factory.object(ReadingDays)
    thresholds: GraphQLObjectType = factory.object(Thresholds)
    monitoring_log: GraphQLObjectType = factory.object(MonitoringLog)
    lab_result: GraphQLObjectType = factory.object(LabResult)
    treatment_plan: GraphQLObjectType = factory.object(TreatmentPlan)
    appointment: GraphQLObjectType = factory.object(Appointment)
    message: GraphQLObjectType = factory.object(UserMessage)
    thread: GraphQLObjectType = factory.object(
        Thread, lambda: {"messages": GraphQLField(connection_of(message), args=PAGE_ARGS, resolve=thread_messages)}
    )
    patient: GraphQLObjectType = factory.object(PatientProfile, patient_fields)
    me: GraphQLObjectType = factory.object(Me)

    async def resolve_me(_: Any, info: GraphQLResolveInfo) -> Any:
        return dump(await run(accounts.me, _principal()))

    async def resolve_patient(_: Any, info: GraphQLResolveInfo, id: str) -> Any:
        patient_id = object_id(id, "id")
        await _patient_ready(info, patient_id)
        return dump(await run(patients.get_patient, _principal(), patient_id))

    async def resolve_patients(_: Any, info: GraphQLResolveInfo, **args: Any) -> Any:
        return connection(await run(patients.list_patients, _principal(), **_page(args)))

    async def resolve_alerts(_: Any, info: GraphQLResolveInfo, **args: Any) -> Any:
        status = checked(ALERT_STATUS, args.get("status"), "status") or "open"
        severity = checked(SEVERITY, args.get("severity"), "severity")
        return connection(
            await run(monitoring.list_alerts, _principal(), status=status, severity=severity, **_page(args))
        )

    async def resolve_threads(_: Any, info: GraphQLResolveInfo, **args: Any) -> Any:
        return connection(await run(messaging.list_threads, _principal(), **_page(args)))

    async def resolve_thread(_: Any, info: GraphQLResolveInfo, id: str) -> Any:
        return dump(await run(messaging.get_thread, _principal(), object_id(id, "id")))

    async def resolve_schedule(_: Any, info: GraphQLResolveInfo, **args: Any) -> Any:
        start, end = _span(args)
        page = await run(
            appointments.schedule, _principal(), provider=None, start_from=start, start_to=end, **_page(args)
        )
        return connection(page)

    id_arg = GraphQLArgument(GraphQLNonNull(GraphQLID))
    query = GraphQLObjectType(
        "Query",
        {
            "me": GraphQLField(me, resolve=resolve_me),
            "patient": GraphQLField(patient, args={"id": id_arg}, resolve=resolve_patient),
            "patients": GraphQLField(connection_of(patient), args=PAGE_ARGS, resolve=resolve_patients),
            "alerts": GraphQLField(
                connection_of(monitoring_log),
                args={
                    "status": GraphQLArgument(GraphQLString, description="open (default), acknowledged, resolved"),
                    "severity": GraphQLArgument(GraphQLString),
                    **PAGE_ARGS,
                },
                resolve=resolve_alerts,
            ),
            "threads": GraphQLField(connection_of(thread), args=PAGE_ARGS, resolve=resolve_threads),
            "thread": GraphQLField(thread, args={"id": id_arg}, resolve=resolve_thread),
            "appointments": GraphQLField(
                connection_of(appointment),
                args={**TIME_ARGS, **PAGE_ARGS},
                description="The caller's own schedule as provider",
                resolve=resolve_schedule,
            ),
        },
    )
    return GraphQLSchema(
        query=query, mutation=_mutations(factory, thread, message, monitoring_log, device_data, lab_result, appointment)
    )


def _mutations(
    factory: TypeFactory,
    thread: GraphQLObjectType,
    message: GraphQLObjectType,
    monitoring_log: GraphQLObjectType,
    device_data: GraphQLObjectType,
    lab_result: GraphQLObjectType,
    appointment: GraphQLObjectType,
) -> GraphQLObjectType:
    """Each the REST write of the same name: the same service call with the same body model."""

    def mutation(output: GraphQLObjectType, args: dict[str, GraphQLArgument], call: Callable[..., Any]) -> GraphQLField:
        async def resolve(_: Any, info: GraphQLResolveInfo, **given: Any) -> Any:
            return dump(await run(call, given))

        return GraphQLField(output, args=args, resolve=resolve)

    def required(kind: Any) -> GraphQLArgument:
        return GraphQLArgument(GraphQLNonNull(kind))

    ids = {name: required(GraphQLID) for name in ("patientId", "threadId", "messageId", "logId", "dataId")}
    ids["labResultId"] = required(GraphQLID)

    def pid(given: dict[str, Any]) -> str:
        return object_id(given["patientId"], "patientId")

    return GraphQLObjectType(
        "Mutation",
        {
            "createThread": mutation(
                thread,
                {"input": required(factory.input(ThreadCreate))},
                lambda g: messaging.create_thread(_principal(), model_input(ThreadCreate, g["input"]), _request_id()),
            ),
            "sendMessage": mutation(
                message,
                {"threadId": ids["threadId"], "input": required(factory.input(MessageCreate))},
                lambda g: messaging.post_message(
                    _principal(),
                    object_id(g["threadId"], "threadId"),
                    model_input(MessageCreate, g["input"]),
                    _request_id(),
                ),
            ),
            "markMessageRead": mutation(
                message,
                {"threadId": ids["threadId"], "messageId": ids["messageId"]},
                lambda g: messaging.read_message(
                    _principal(),
                    object_id(g["threadId"], "threadId"),
                    object_id(g["messageId"], "messageId"),
                    _request_id(),
                ),
            ),
            "createMonitoringLog": mutation(
                monitoring_log,
                {"patientId": ids["patientId"], "input": required(factory.input(MonitoringLogCreate))},
                lambda g: monitoring.create_log(
                    _principal(), pid(g), model_input(MonitoringLogCreate, g["input"]), _request_id()
                ),
            ),
            "updateMonitoringLogStatus": mutation(
                monitoring_log,
                {
                    "patientId": ids["patientId"],
                    "logId": ids["logId"],
                    "input": required(factory.input(MonitoringLogUpdate)),
                },
                lambda g: monitoring.update_log(
                    _principal(),
                    pid(g),
                    object_id(g["logId"], "logId"),
                    model_input(MonitoringLogUpdate, g["input"]),
                    _request_id(),
                ),
            ),
            "publishReading": mutation(
                device_data,
                {"patientId": ids["patientId"], "input": required(factory.input(DeviceDataCreate))},
                lambda g: readings.publish_manual(
                    _principal(), pid(g), model_input(DeviceDataCreate, g["input"]), _request_id()
                ),
            ),
            "correctReading": mutation(
                device_data,
                {
                    "patientId": ids["patientId"],
                    "dataId": ids["dataId"],
                    "ifMatch": GraphQLArgument(GraphQLString, description="The version being corrected (428 without)"),
                    "input": required(factory.input(DeviceDataCorrection)),
                },
                lambda g: readings.correct_reading(
                    _principal(),
                    pid(g),
                    object_id(g["dataId"], "dataId"),
                    model_input(DeviceDataCorrection, g["input"]),
                    g.get("ifMatch"),
                    _request_id(),
                ),
            ),
            "createLabResult": mutation(
                lab_result,
                {"patientId": ids["patientId"], "input": required(factory.input(LabResultCreate))},
                lambda g: lab_results.create(
                    _principal(), pid(g), model_input(LabResultCreate, g["input"]), _request_id()
                ),
            ),
            "updateLabResult": mutation(
                lab_result,
                {
                    "patientId": ids["patientId"],
                    "labResultId": ids["labResultId"],
                    "ifMatch": GraphQLArgument(GraphQLString, description="The version the change is based on"),
                    "input": required(factory.input(LabResultUpdate)),
                },
                lambda g: lab_results.update(
                    _principal(),
                    pid(g),
                    object_id(g["labResultId"], "labResultId"),
                    model_input(LabResultUpdate, g["input"]),
                    _request_id(),
                    if_match=g.get("ifMatch"),
                ),
            ),
            "bookAppointment": mutation(
                appointment,
                {"patientId": ids["patientId"], "input": required(factory.input(AppointmentCreate))},
                lambda g: appointments.create(
                    _principal(), pid(g), model_input(AppointmentCreate, g["input"]), _request_id()
                ),
            ),
        },
    )


@cache
def schema() -> GraphQLSchema:
    return _build()
