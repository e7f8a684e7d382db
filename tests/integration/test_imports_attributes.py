"""Product attributes from a CSV file: values set, changed and removed; an attribute the
category lacks is created when its row names it; a bad row is reported on its column and
nothing at all is written; an imported value shows on the product page and filters the
category's listing."""

from urllib.parse import quote

import pytest
from sqlalchemy import func, select

from portal.extensions import db
from portal.models import Attribute, AuditEntry, ImportStatus, ProductAttribute
from portal.services.csv_import import attributes as attributes_kind
from portal.services.csv_import import jobs
from tests import factories as f
from tests.conftest import login
from tests.factories import csv_bytes, row_ids
from tests.integration.test_imports_catalog import commit
from tests.integration.test_imports_customers import checked_job, run_to_rest

BASE = "/staff/imports"
HEADER = "sku;attribute_code;value_fr;value_en;attribute_name_fr;attribute_name_en"
EN = {"Accept-Language": "en"}


@pytest.fixture
def fire(world):
    """A filterable fire rating on the tools, with the cement rated EI 30."""
    made = Attribute(category_id=world.categories["tools"].id, code="fire",
                     name_fr="Résistance au feu", name_en="Fire resistance", filterable=True,
                     position=1)
    db.session.add(made)
    db.session.flush()
    db.session.add(ProductAttribute(product_id=world.products["cement"].id,
                                    attribute_id=made.id, value_fr="EI 30", value_en="EI 30",
                                    value_key="ei 30"))
    db.session.commit()
    return made


def _values() -> set[tuple]:
    db.session.expire_all()
    return {(row.product_id, row.attribute.code, row.value_fr, row.value_en, row.value_key)
            for row in db.session.scalars(select(ProductAttribute))}


def test_values_are_set_changed_removed_and_a_named_attribute_created(client, world, fire):
    login(client, world.staff)
    screws, cement, flour = (world.products[k] for k in ("screws", "cement", "flour"))
    rows = [
        "VIS-440;fire;Réaction A1;Reaction A1;;",
        "cim-35;fire;;;;",  # removes the cement's EI 30 (SKUs are read in capitals)
        "FAR-T55;origin;Élevé en France;Raised in France;Origine;Origin",
        "GANT-9;fire;EI 60;;;",  # no English: the French shows
    ]
    job = checked_job(client, csv_bytes(HEADER, rows), kind="attributes")
    assert job.report["error_count"] == 0, job.report["errors"]
    assert job.report["summary"] == {"set": 3, "removed": 1, "attributes": 1}
    page = client.get(f"{BASE}/{job.id}", headers=EN).get_data(as_text=True)
    assert "3 attribute values will be written and 1 removed." in page
    assert "1 new attribute will be created." in page
    done = commit(client, job)
    assert done.report["result"] == {"created": 3, "updated": 0, "removed": 1,
                                     "attributes_created": 1}
    origin = db.session.scalar(select(Attribute).where(Attribute.code == "origin"))
    assert (origin.category_id, origin.name_en, origin.filterable) == (
        world.categories["food"].id, "Origin", True)
    gloves = world.products["gloves"]
    assert _values() == {
        (screws.id, "fire", "Réaction A1", "Reaction A1", "reaction a1"),
        (flour.id, "origin", "Élevé en France", "Raised in France", "eleve en france"),
        (gloves.id, "fire", "EI 60", "", "ei 60"),
    }
    assert cement.id not in {v[0] for v in _values()}
    (audit,) = db.session.scalars(select(AuditEntry).where(
        AuditEntry.action == "attribute.create")).all()
    assert audit.object_id == origin.id and audit.detail["by"] == "csv_import"


def test_a_known_value_is_updated_and_a_parent_category_s_attribute_found(client, world, fire):
    login(client, world.staff)
    child = f.category("Perceuses", parent=world.categories["tools"])
    drill = f.product(child, "PER-1")
    db.session.commit()
    rows = ["CIM-35;fire;EI 90;EI 90;;", "PER-1;fire;EI 120;;;"]
    job = checked_job(client, csv_bytes(HEADER, rows), kind="attributes")
    assert job.report["error_count"] == 0, job.report["errors"]
    assert commit(client, job).report["result"]["updated"] == 1
    assert _values() == {(world.products["cement"].id, "fire", "EI 90", "EI 90", "ei 90"),
                         (drill.id, "fire", "EI 120", "", "ei 120")}
    assert db.session.scalar(select(func.count(Attribute.id))) == 1  # no copy on the child


def test_a_new_attribute_named_once_serves_the_later_rows_of_its_category(client, world):
    login(client, world.staff)
    rows = ["VIS-440;finish;Zingué;Zinc-plated;Finition;Finish", "CIM-35;finish;Brut;Raw;;",
            "FAR-T55;finish;Bio;Organic;;"]  # another category: not named there
    job = checked_job(client, csv_bytes(HEADER, rows), kind="attributes")
    assert [(line, column) for line, column, _r in job.report["errors"]] == [
        (4, "attribute_code")]
    assert "attribute_name_fr" in job.report["errors"][0][2]


@pytest.mark.parametrize(("row", "column", "reason"), [
    ("NOPE-1;fire;EI 60;;;", "sku", "référence inconnue"),
    ("VIS-440;colour;Gris;Grey;;", "attribute_code",
     "attribute_name_fr et attribute_name_en"),
    ("VIS-440;colour;Gris;Grey;Couleur;", "attribute_code", "attribute_name_fr"),
    ("VIS-440;fire;" + "x" * 201 + ";;;", "value_fr", "200 caractères au plus"),
    ("VIS-440;fire;EI 60;" + "y" * 201 + ";;", "value_en", "200 caractères au plus"),
    ("VIS-440;fire;;EI 60;;", "value_en", "valeur en français"),
    ("VIS-440;Fire;EI 60;;;", "attribute_code", "lettres minuscules"),
    ("VIS-440;fire rating;EI 60;;Feu;Fire", "attribute_code", "lettres minuscules"),
    ("VIS-440;;EI 60;;;", "attribute_code", "obligatoire"),
    ("VIS-440;colour;Gris;;" + "n" * 121 + ";Colour", "attribute_name_fr",
     "120 caractères au plus"),
])
def test_a_bad_row_is_reported_on_its_column_and_nothing_is_written(client, world, fire, row,
                                                                     column, reason):
    login(client, world.staff)
    before = _values()
    good = "GANT-9;fire;EI 60;EI 60;;"
    job = checked_job(client, csv_bytes(HEADER, [good, row]), kind="attributes")
    assert [(line, col) for line, col, _r in job.report["errors"]] == [(3, column)]
    assert reason in job.report["errors"][0][2]
    assert client.post(f"{BASE}/{job.id}/commit").status_code == 409
    assert _values() == before
    assert db.session.scalar(select(func.count(Attribute.id))) == 1


def test_the_same_value_twice_is_reported_on_the_later_line(client, world, fire):
    login(client, world.staff)
    job = checked_job(client, csv_bytes(HEADER, ["VIS-440;fire;EI 60;;;", "vis-440;fire;EI 90;;;"]),
                      kind="attributes")
    assert [(line, col) for line, col, _r in job.report["errors"]] == [(3, "attribute_code")]


def test_a_commit_that_fails_midway_writes_nothing(client, world, fire, monkeypatch):
    login(client, world.staff)
    before = _values()
    rows = ["VIS-440;fire;EI 60;;;", "FAR-T55;origin;France;France;Origine;Origin",
            "GANT-9;fire;EI 90;;;", "CIM-35;fire;;;;"]  # the attribute is made, then undone
    job = checked_job(client, csv_bytes(HEADER, rows), kind="attributes")
    assert job.report["error_count"] == 0
    monkeypatch.setattr(jobs, "CHUNK_ROWS", 1)
    original, calls = attributes_kind.AttributesWriter.write, []

    def failing_write(self, plans):
        calls.append(len(plans))
        if len(calls) == 4:
            raise RuntimeError("disk full")
        return original(self, plans)

    monkeypatch.setattr(attributes_kind.AttributesWriter, "write", failing_write)
    assert client.post(f"{BASE}/{job.id}/commit").status_code == 303
    job = run_to_rest(client, job.id)
    assert job.status == ImportStatus.FAILED and len(calls) == 4
    assert _values() == before
    assert db.session.scalar(select(func.count(Attribute.id))) == 1
    assert db.session.scalar(select(func.count(AuditEntry.id)).where(
        AuditEntry.action == "attribute.create")) == 0


def test_the_header_must_name_the_required_columns(client, world):
    login(client, world.staff)
    from tests.integration.test_imports_customers import upload

    answer = upload(client, csv_bytes("sku;attribute_code", ["VIS-440;fire"]), "attributes")
    assert answer.status_code == 422 and "value_fr" in answer.get_data(as_text=True)


def test_an_imported_value_shows_on_the_product_page_and_filters_the_listing(client, world,
                                                                             fire, app):
    login(client, world.staff)
    job = checked_job(client, csv_bytes(HEADER, ["VIS-440;fire;Très élevée;Very high;;"]),
                      kind="attributes")
    commit(client, job)
    buyer = app.test_client()
    login(buyer, world.a.buyer)
    screws, cement = world.products["screws"], world.products["cement"]
    page = buyer.get(f"/catalog/p/{screws.id}", headers=EN).get_data(as_text=True)
    assert "Fire resistance" in page and "Very high" in page
    tools = world.categories["tools"].id
    listing = buyer.get(f"/catalog/c/{tools}").get_data(as_text=True)
    assert 'name="f.fire"' in listing and "Très élevée" in listing
    filtered = buyer.get(f"/catalog/c/{tools}?f.fire={quote('tres elevee')}")
    assert row_ids(filtered.get_data(as_text=True)) == [screws.id]
    other = buyer.get(f"/catalog/c/{tools}?f.fire={quote('ei 30')}").get_data(as_text=True)
    assert row_ids(other) == [cement.id]


def test_the_import_page_lists_the_attributes_kind(client, world):
    login(client, world.staff)
    page = client.get(f"{BASE}/").get_data(as_text=True)
    assert 'value="attributes"' in page and "attribute_code" in page
