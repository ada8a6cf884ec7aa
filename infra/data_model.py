"""``docs/DATA.md``, generated (``make docs``; a test fails when it is stale): an ER diagram and a data
dictionary from the table declarations (``rpm_core.data.tables``) and the entities' JSON Schemas, which are
the OpenAPI components the pydantic models generate (``functions/docs/openapi.json``).

Which schema an API answer of a table's items has is declared here (``ENTITIES``); a table without one is
internal (sessions, uniqueness, inboxes, watches), and is listed with its keys and access patterns only.
"""

from __future__ import annotations

import json
import sys
from typing import Any

from infra.paths import ROOT
from rpm_core.data.tables import TABLES, TableSpec

DOCUMENT = ROOT / "functions" / "docs" / "openapi.json"
OUTPUT = ROOT / "docs" / "DATA.md"

ENTITIES: dict[str, str] = {
    "Users": "User",
    "Patients": "PatientProfile",
    "CareTeams": "CareTeamMember",
    "Devices": "Device",
    "DeviceData": "DeviceData",
    "ReadingDays": "ReadingDay",
    "RejectedReadings": "RejectedReading",
    "Thresholds": "Thresholds",
    "MonitoringLogs": "MonitoringLog",
    "Threads": "Thread",
    "Messages": "UserMessage",
    "Attachments": "Attachment",
    "LabResults": "LabResult",
    "TreatmentPlans": "TreatmentPlan",
    "Appointments": "Appointment",
    "Shares": "Share",
    "BreakGlass": "BreakGlass",
    "AuditLog": "AuditEntry",
}
"""Table → the component schema of its items as the API answers them."""

POINTERS: dict[str, str] = {
    "patient": "Patients",
    "patientId": "Patients",
    "clinician": "Users",
    "clinicianId": "Users",
    "userId": "Users",
    "device": "Devices",
    "deviceId": "Devices",
    "threadId": "Threads",
    "sender": "Users",
    "recipient": "Users",
    "grantee": "Users",
    "author": "Users",
    "createdBy": "Users",
    "actor": "Users",
}
"""A field that holds another entity's id (the contract's pointers are plain id strings) → that entity's table."""


def _type(schema: dict[str, Any]) -> str:
    if "$ref" in schema:
        return schema["$ref"].rsplit("/", 1)[-1]
    if "anyOf" in schema:
        kinds = [_type(option) for option in schema["anyOf"]]
        return " \\| ".join(kind for kind in kinds if kind != "null") + (" \\| null" if "null" in kinds else "")
    if schema.get("type") == "array":
        return f"{_type(schema.get('items', {}))}[]"
    if "const" in schema:
        return f"`{schema['const']}`"
    if "enum" in schema:
        return " \\| ".join(f"`{value}`" for value in schema["enum"])
    kind = str(schema.get("type", "object"))
    return f"{kind} ({schema['format']})" if "format" in schema else kind


def _fields(schema: dict[str, Any], schemas: dict[str, Any]) -> tuple[dict[str, Any], set[str]]:
    """An entity's fields and the required ones; a union (``oneOf``, e.g. DeviceData per device type) has its
    variants' fields, each typed as any of the variants' (required when every variant requires it)."""
    if "oneOf" not in schema:
        return schema.get("properties", {}), set(schema.get("required", []))
    variants = [schemas[option["$ref"].rsplit("/", 1)[-1]] for option in schema["oneOf"]]
    fields: dict[str, list[dict[str, Any]]] = {}
    for variant in variants:
        for field, definition in variant.get("properties", {}).items():
            if definition not in fields.setdefault(field, []):
                fields[field].append(definition)
    merged = {
        field: kinds[0] if len(kinds) == 1 else {"anyOf": kinds, "description": kinds[0].get("description", "")}
        for field, kinds in fields.items()
    }
    required = set.intersection(*(set(variant.get("required", [])) for variant in variants))
    return merged, required


def _keys(spec: TableSpec) -> str:
    parts = [f"`{spec.partition_key.name}` (partition)"]
    if spec.sort_key:
        parts.append(f"`{spec.sort_key.name}` (sort)")
    return ", ".join(parts)


def _mermaid_name(table: str) -> str:
    return ENTITIES.get(table, table)


def _diagram(schemas: dict[str, Any]) -> list[str]:
    lines = ["```mermaid", "erDiagram"]
    relations: set[tuple[str, str, str]] = set()
    for spec in TABLES:
        name = _mermaid_name(spec.name)
        lines.append(f"    {name} {{")
        key_names = [spec.partition_key.name] + ([spec.sort_key.name] if spec.sort_key else [])
        for key in key_names:
            lines.append(f"        string {key} PK")
        entity = schemas.get(ENTITIES.get(spec.name, ""), {})
        for field in sorted(_fields(entity, schemas)[0]):
            if field in POINTERS and field not in key_names:
                lines.append(f"        string {field} FK")
                if POINTERS[field] != spec.name:
                    relations.add((_mermaid_name(POINTERS[field]), name, field))
        for key in key_names:
            if key in POINTERS and POINTERS[key] != spec.name:
                relations.add((_mermaid_name(POINTERS[key]), name, key))
        lines.append("    }")
    for parent, child, field in sorted(relations):
        lines.append(f'    {parent} ||--o{{ {child} : "{field}"')
    lines.append("```")
    return lines


def _dictionary(spec: TableSpec, schemas: dict[str, Any]) -> list[str]:
    entity = ENTITIES.get(spec.name)
    lines = [f"### {spec.name}", ""]
    facts = [f"Keys: {_keys(spec)}."]
    if spec.indexes:
        rendered = [
            f"`{index.name}` ({index.partition_key.name}{', ' + index.sort_key.name if index.sort_key else ''})"
            for index in spec.indexes
        ]
        facts.append("Indexes: " + ", ".join(rendered) + ".")
    if spec.ttl_attribute:
        facts.append(f"Items expire at `{spec.ttl_attribute}` (TTL).")
    if spec.streamed:
        facts.append("Streamed (new and old images).")
    if spec.patient_data:
        facts.append("Holds patient data: every change is audited.")
    lines += [" ".join(facts), ""]
    if spec.access_patterns:
        lines += ["Access patterns:", "", *(f"- {pattern}" for pattern in spec.access_patterns), ""]
    if entity is None:
        lines += ["Internal: no API answer returns its items.", ""]
        return lines
    schema = schemas[entity]
    lines += [
        f"Entity `{entity}` (JSON Schema: `#/components/schemas/{entity}` in `GET /openapi.json`, committed as "
        "[`functions/docs/openapi.json`](../functions/docs/openapi.json)).",
        "",
        "| field | type | required | description |",
        "| --- | --- | --- | --- |",
    ]
    properties, required = _fields(schema, schemas)
    for field, definition in properties.items():
        description = str(definition.get("description", "")).replace("\n", " ").replace("|", "\\|")
        pointer = f" Points to {POINTERS[field]}." if field in POINTERS else ""
        lines.append(
            f"| `{field}` | {_type(definition)} | {'yes' if field in required else 'no'} | {description}{pointer} |"
        )
    lines.append("")
    return lines


def render() -> str:
    schemas: dict[str, Any] = json.loads(DOCUMENT.read_text())["components"]["schemas"]
    missing = sorted(entity for entity in ENTITIES.values() if entity not in schemas)
    if missing:
        raise ValueError(f"ENTITIES names schemas the OpenAPI document lacks: {missing}")
    unknown = sorted(set(ENTITIES) - {spec.name for spec in TABLES})
    if unknown:
        raise ValueError(f"ENTITIES names undeclared tables: {unknown}")
    lines = [
        "# Data model",
        "",
        "Generated by `make docs` from the table declarations (`layers/core/python/rpm_core/data/tables.py`)",
        "and the entities' JSON Schemas (the OpenAPI components of the pydantic models);",
        "`tests/contract/test_data_model.py` fails when this file is stale. Every table is DynamoDB on demand,",
        "KMS-encrypted with the stack's data key, point-in-time-recoverable and retained on stack deletion.",
        "",
        "## Entities and their relations",
        "",
        *_diagram(schemas),
        "",
        "## Data dictionary",
        "",
    ]
    for spec in TABLES:
        lines += _dictionary(spec, schemas)
    return "\n".join(lines).rstrip() + "\n"


def main() -> None:
    OUTPUT.write_text(render())
    print(f"wrote {OUTPUT.relative_to(ROOT)}", file=sys.stderr)


if __name__ == "__main__":
    main()
