"""docs/DATA.md is what ``make docs`` generates from the declarations and the models today."""

from __future__ import annotations

from infra import data_model
from rpm_core.data.tables import TABLES


def test_the_data_model_reference_is_current() -> None:
    assert data_model.OUTPUT.read_text() == data_model.render(), "docs/DATA.md is stale: run make docs"


def test_every_table_is_in_the_reference_and_its_entity_fields_are_listed() -> None:
    text = data_model.render()
    for spec in TABLES:
        assert f"### {spec.name}\n" in text
    assert "| `recordedAt` |" in text  # DeviceData's fields, from its schema
    assert 'PatientProfile ||--o{ Device : "patient"' in text  # a pointer becomes a relation
