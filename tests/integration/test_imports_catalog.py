"""Products, price tiers and stock from CSV files; exports that Excel opens safely."""

import pytest
from sqlalchemy import func, select

from portal.extensions import db
from portal.models import ImportStatus, PriceTier, Product, Stock
from tests.conftest import login
from tests.factories import csv_bytes, order
from tests.integration.test_imports_customers import checked_job, run_to_rest

BASE = "/staff/imports"
PRODUCT_HEADER = ("sku;gtin;name_fr;name_en;description_fr;description_en;brand;category_slug;"
                  "uom;case_pack;order_multiple;lead_time_days;discontinued;replacement_sku")


def commit(client, job):
    assert client.post(f"{BASE}/{job.id}/commit").status_code == 303
    done = run_to_rest(client, job.id)
    assert done.status == ImportStatus.DONE, done.report
    db.session.expire_all()
    return done


def test_products_are_created_and_known_skus_updated(client, world):
    login(client, world.staff)
    slug = world.categories["tools"].slug
    rows = [
        (f"NEW-1;4006381333931;Équerre acier;Steel square;Très solide;;Stanley;{slug};each;"
         "10;5;3;non;"),
        f"NEW-2;;Vis inox;Stainless screw;;;;{slug};;1;;;oui;NEW-1",
        "VIS-440;;;;;;Fischer;;;;;;;",
    ]
    job = checked_job(client, csv_bytes(PRODUCT_HEADER, rows), kind="products")
    assert job.report["error_count"] == 0, job.report["errors"]
    assert job.report["summary"] == {"created": 2, "updated": 1}
    commit(client, job)

    new = db.session.scalar(select(Product).where(Product.sku == "NEW-1"))
    assert (new.case_pack, new.order_multiple, new.lead_time_days) == (10, 5, 3)
    assert new.gtin == "4006381333931" and new.active
    assert "equerre" in new.search_text and "stanley" in new.search_text
    second = db.session.scalar(select(Product).where(Product.sku == "NEW-2"))
    assert second.discontinued and second.replacement_id == new.id
    screws = db.session.get(Product, world.products["screws"].id)
    assert screws.brand == "Fischer"
    assert screws.name_fr == world.products["screws"].name_fr  # empty cell: unchanged
    assert "fischer" in screws.search_text


@pytest.mark.parametrize(("row", "column"), [
    ("NEW-9;;Nom;Name;;;;{slug};;10;3;;;", "order_multiple"),
    ("NEW-9;;Nom;Name;;;;no-such-category;;;;;;", "category_slug"),
    ("NEW-9;;;Name;;;;{slug};;;;;;", "name_fr"),
    ("NEW-9;4006381333932;Nom;Name;;;;{slug};;;;;;", "gtin"),
    ("NEW-9;;Nom;Name;;;;{slug};;;;;;NEW-9", "replacement_sku"),
    ("NEW-9;;Nom;Name;;;;{slug};;;;;;NOPE-1", "replacement_sku"),
    ("NEW-9;;Nom;Name;;;;{slug};;0;;;;", "case_pack"),
    ("NEW 9;;Nom;Name;;;;{slug};;;;;;", "sku"),
    ("VIS-440;;;;;;;;;;7;;;", "order_multiple"),
    ("NEW-9;;Nom;Name;;;;{slug};;;;;peut-être;", "discontinued"),
])
def test_a_bad_product_row_is_reported_on_its_column(client, world, row, column):
    login(client, world.staff)
    job = checked_job(client, csv_bytes(PRODUCT_HEADER, [
        row.format(slug=world.categories["tools"].slug)]), kind="products")
    assert [(line, col) for line, col, _r in job.report["errors"]] == [(2, column)]


def test_a_service_interval_is_imported_in_months(client, world):
    login(client, world.staff)
    slug = world.categories["tools"].slug
    header = "sku;name_fr;name_en;category_slug;service_interval_months"
    job = checked_job(client, csv_bytes(header, [f"NEW-1;Filtre;Filter;{slug};6",
                                                 "VIS-440;;;;12", f"NEW-2;Vis;Screw;{slug};"]),
                      kind="products")
    assert job.report["error_count"] == 0, job.report["errors"]
    commit(client, job)
    months = dict(db.session.execute(select(Product.sku, Product.service_interval_months)
                                     .where(Product.sku.in_(["NEW-1", "VIS-440", "NEW-2"])))
                  .all())
    assert months == {"NEW-1": 6, "VIS-440": 12, "NEW-2": None}
    exported = client.get(f"{BASE}/export/products.csv").get_data(as_text=True)
    assert exported.splitlines()[0].endswith(";service_interval_months")


def test_a_bad_service_interval_is_reported_per_row_and_nothing_is_imported(client, world):
    login(client, world.staff)
    before = db.session.scalar(select(func.count(Product.id)))
    header = "sku;name_fr;name_en;category_slug;service_interval_months"
    slug = world.categories["tools"].slug
    job = checked_job(client, csv_bytes(header, [
        f"NEW-1;Filtre;Filter;{slug};6", "VIS-440;;;;0", f"NEW-2;Vis;Screw;{slug};200",
        f"NEW-3;Lame;Blade;{slug};six"]), kind="products")
    assert [(line, col) for line, col, _r in job.report["errors"]] == [
        (3, "service_interval_months"), (4, "service_interval_months"),
        (5, "service_interval_months")]
    reasons = [reason for _l, _c, reason in job.report["errors"]]
    assert reasons[:2] == ["doit être entre 1 et 120"] * 2
    assert reasons[2] == "un nombre entier est attendu (chiffres seulement)"
    assert client.post(f"{BASE}/{job.id}/commit").status_code in (303, 409, 422)
    db.session.expire_all()
    assert db.session.scalar(select(func.count(Product.id))) == before
    assert db.session.get(Product, world.products["screws"].id).service_interval_months is None


def test_duplicate_skus_and_gtins_in_one_file_are_reported_on_the_later_line(client, world):
    login(client, world.staff)
    slug = world.categories["tools"].slug
    rows = [f"NEW-1;96385074;A;A;;;;{slug};;;;;;", f"new-1;;B;B;;;;{slug};;;;;;",
            f"NEW-2;96385074;C;C;;;;{slug};;;;;;"]
    job = checked_job(client, csv_bytes(PRODUCT_HEADER, rows), kind="products")
    assert [(line, col) for line, col, _r in job.report["errors"]] == [(3, "sku"), (4, "gtin")]


def test_price_tiers_are_read_in_euros_and_upserted(client, world):
    login(client, world.staff)
    header = "price_list_code;sku;min_qty;unit_price"
    rows = ["BASE;VIS-440;1;1,05", "base;VIS-440;50;0.8", "PRO;CIM-35;1;7,5"]
    job = checked_job(client, csv_bytes(header, rows), kind="prices")
    assert job.report["error_count"] == 0, job.report["errors"]
    done = commit(client, job)
    assert done.report["result"] == {"created": 2, "updated": 1}
    tiers = dict(db.session.execute(
        select(PriceTier.min_qty, PriceTier.unit_price_cents)
        .where(PriceTier.price_list_id == world.base.id,
               PriceTier.product_id == world.products["screws"].id)).all())
    assert tiers == {1: 105, 5: 97, 10: 90, 50: 80}


def test_bad_price_rows_are_reported(client, world):
    login(client, world.staff)
    header = "price_list_code;sku;min_qty;unit_price"
    rows = ["NOPE;VIS-440;1;1,05", "BASE;NOPE-1;1;1", "BASE;VIS-440;1;1,005",
            "BASE;VIS-440;0;1", "BASE;CIM-35;5;1", "BASE;CIM-35;05;2"]
    job = checked_job(client, csv_bytes(header, rows), kind="prices")
    assert [(line, col) for line, col, _r in job.report["errors"]] == [
        (2, "price_list_code"), (3, "sku"), (4, "unit_price"), (5, "min_qty"), (7, "min_qty")]


def test_stock_levels_replace_the_current_ones(client, world):
    from tests import factories as f

    f.warehouse("PAR")
    db.session.commit()
    login(client, world.staff)
    rows = ["VIS-440;LYO;12", "VIS-440;par;7", "GANT-9;LYO;0"]
    job = checked_job(client, csv_bytes("sku;warehouse_code;quantity", rows), kind="stock")
    commit(client, job)
    levels = db.session.execute(select(Product.sku, Stock.quantity).join(Stock)
                                .order_by(Product.sku, Stock.quantity)).all()
    assert ("VIS-440", 12) in levels and ("VIS-440", 7) in levels and ("GANT-9", 0) in levels


def test_exports_neutralize_formulas_for_excel(client, world):
    product = world.products["screws"]
    product.name_fr = "=cmd|' /C calc'!A0"
    world.a.company.name = "+ACME"
    db.session.commit()
    order(world.a.buyer, [(product, 10)], po="@PO-1", commit=True)
    login(client, world.staff)
    for what, expected in (("products", "'=cmd|' /C calc'!A0"), ("customers", "'+ACME"),
                           ("orders", "'@PO-1")):
        answer = client.get(f"{BASE}/export/{what}.csv")
        assert answer.status_code == 200
        assert answer.mimetype == "text/csv"
        assert "attachment" in answer.headers["Content-Disposition"]
        body = answer.get_data()
        assert body.startswith(b"\xef\xbb\xbf")
        text = body.decode("utf-8-sig")
        assert expected in text
        assert text.splitlines()[0].count(";") >= 2
    orders = client.get(f"{BASE}/export/orders.csv").get_data().decode("utf-8-sig")
    assert ";10,00;" in orders  # 10 units at 1,00 EUR, French decimal comma


def test_an_exported_products_file_imports_back_unchanged(client, world):
    login(client, world.staff)
    exported = client.get(f"{BASE}/export/products.csv").get_data()
    job = checked_job(client, exported, kind="products")
    assert job.report["error_count"] == 0, job.report["errors"]
    assert job.report["summary"] == {"updated": 4}
    before = db.session.scalar(select(func.count(Product.id)))
    commit(client, job)
    assert db.session.scalar(select(func.count(Product.id))) == before


def test_a_replacement_later_in_the_file_is_found_across_chunks(client, world, monkeypatch):
    from portal.services.csv_import import jobs, running

    monkeypatch.setattr(jobs, "CHUNK_ROWS", 2)
    monkeypatch.setattr(running, "CHECK_SLICE", 0)  # one chunk per slice, like a slow server
    login(client, world.staff)
    slug = world.categories["tools"].slug
    rows = [f"NEW-1;;A;A;;;;{slug};;;;;oui;NEW-5", f"NEW-2;;B;B;;;;{slug};;;;;oui;NOPE-9",
            f"NEW-3;;C;C;;;;{slug};;;;;;", f"new-1;;D;D;;;;{slug};;;;;;",
            f"NEW-5;;E;E;;;;{slug};;;;;;"]
    job = checked_job(client, csv_bytes(PRODUCT_HEADER, rows), kind="products")
    assert [(line, col) for line, col, _r in job.report["errors"]] == [
        (3, "replacement_sku"), (5, "sku")]

    fixed = [rows[0], rows[2], rows[4]]
    job = checked_job(client, csv_bytes(PRODUCT_HEADER, fixed), kind="products")
    assert job.report["error_count"] == 0
    commit(client, job)
    first = db.session.scalar(select(Product).where(Product.sku == "NEW-1"))
    assert first.replacement.sku == "NEW-5"
