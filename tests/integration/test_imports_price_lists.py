"""The price-tier CSV import creates a price list it does not know when its rows name it, and
refuses an unknown code without a name (a typo never makes a list)."""

from sqlalchemy import func, select

from portal.extensions import db
from portal.models import AuditEntry, PriceList, PriceTier
from tests.conftest import login
from tests.factories import csv_bytes
from tests.integration.test_imports_catalog import commit
from tests.integration.test_imports_customers import checked_job

HEADER = "price_list_code;sku;min_qty;unit_price;price_list_name;currency"


def test_a_named_unknown_list_is_created_once_with_its_tiers(client, world):
    login(client, world.staff)
    rows = ["chantier-2027;VIS-440;1;0,75;Chantiers 2027;", "CHANTIER-2027;CIM-35;1;7,20;;",
            "BASE;VIS-440;1;1,05;;"]
    job = checked_job(client, csv_bytes(HEADER, rows), kind="prices")
    assert job.report["error_count"] == 0, job.report["errors"]
    page = client.get(f"/staff/imports/{job.id}").get_data(as_text=True)
    assert "1 nouvelle liste de prix sera créée" in page or "1 new price list" in page
    done = commit(client, job)
    assert done.report["result"] == {"created": 2, "updated": 1, "lists_created": 1}
    made = db.session.scalar(select(PriceList).where(PriceList.code == "CHANTIER-2027"))
    assert (made.name, made.currency, made.is_base) == ("Chantiers 2027", "EUR", False)
    assert db.session.scalar(select(func.count()).select_from(PriceTier)
                             .where(PriceTier.price_list_id == made.id)) == 2
    assert db.session.scalar(select(AuditEntry.actor_id).where(
        AuditEntry.action == "price_list.create")) == world.staff.id


def test_an_unknown_list_without_a_name_or_with_two_currencies_is_refused(client, world):
    login(client, world.staff)
    rows = ["TYPO;VIS-440;1;1,05;;", "NEW;VIS-440;1;1;Nouvelle;EUR", "NEW;CIM-35;1;2;;CHF"]
    job = checked_job(client, csv_bytes(HEADER, rows), kind="prices")
    assert [(line, col) for line, col, _r in job.report["errors"]] == [
        (2, "price_list_code"), (4, "currency")]
    assert db.session.scalar(select(func.count()).select_from(PriceList)
                             .where(PriceList.code.in_(["TYPO", "NEW"]))) == 0
