"""Stored facts put into words for the reader: dates, timeline codes, reasons, places, packs."""

from datetime import UTC, date, datetime
from types import SimpleNamespace

import pytest
from flask_babel import force_locale

from portal import create_app
from portal.formatting import format_date, format_datetime
from portal.services.approvals.words import reasons_from_data, request_reason
from portal.services.catalog import packs
from portal.services.ordering import places
from portal.services.orders import events as order_events
from tests.conftest import base_config

MOMENT = datetime(2026, 12, 4, 15, 37, tzinfo=UTC)  # 16:37 in Paris


@pytest.fixture(scope="module")
def ctx():
    app = create_app(base_config(SQLALCHEMY_DATABASE_URI="sqlite://"))
    with app.test_request_context():
        yield


@pytest.mark.parametrize(("lang", "moment", "day"), [
    ("fr", "4 déc. 2026, 16:37", "4 déc. 2026"),
    ("en", "4 Dec 2026, 16:37", "4 Dec 2026"),
])
def test_dates_use_the_locales_medium_format_and_british_english(ctx, lang, moment, day):
    with force_locale(lang):
        assert format_datetime(MOMENT) == moment
        assert format_date(MOMENT) == day
        assert format_date(date(2026, 12, 4)) == day
        assert "PM" not in format_datetime(MOMENT, "short")
    assert format_date(None) == format_datetime(None) == ""


@pytest.mark.parametrize(("code", "params", "english", "french"), [
    ("confirmed", {}, "Your order is confirmed and is being prepared.",
     "Votre commande est confirmée"),
    ("step_approved", {"step": 1, "who": "Sophie", "comment": "OK"},
     "Step 1 approved by Sophie. Comment: OK", "Étape 1 validée par Sophie"),
    ("shipped", {"lines": 1, "units": 1, "carrier": "Geodis", "tracking": "G1", "partial": True},
     "1 line shipped (1 unit). Carrier: Geodis, tracking number G1. The rest will follow.",
     "1 ligne expédiée (1 unité)"),
    ("backordered", {"sku": "CIM-35", "qty": 3, "date": "2026-12-20"},
     "CIM-35: 3 units on backorder, expected on 20 December 2026.", "3 unités en reliquat"),
    ("line_removed", {"sku": "VIS-1", "name": "Vis bois", "name_en": "Wood screw",
                      "who": "Sophie", "old": 10},
     "VIS-1 Wood screw removed by Sophie (was 10).", "VIS-1 Vis bois retiré par Sophie"),
])
def test_a_timeline_code_is_said_in_the_readers_language(ctx, code, params, english, french):
    with force_locale("en"):
        assert order_events.describe(code, params) == english
    with force_locale("fr"):
        assert french in order_events.describe(code, params)


def test_unknown_codes_and_older_rows_fall_back_to_their_text(ctx):
    assert order_events.describe(None, None, "Commande confirmée.") == "Commande confirmée."
    assert order_events.describe("gone", {}, "as written") == "as written"
    with pytest.raises(ValueError, match="unknown"):
        order_events.new_event(1, "typo", {}, kind="note", status=None, actor_id=None,
                               at=MOMENT)


def test_an_approval_reason_is_said_in_the_readers_language(ctx):
    data = [{"code": "order_limit", "amount_cents": 100_000, "currency": "EUR"},
            {"code": "category", "subject_id": 7, "subject": ["Outillage", "Tools"],
             "currency": "EUR"}]
    with force_locale("en"):
        assert reasons_from_data(data) == (
            "over the buyer's €1,000 per-order limit; includes products from Tools")
    with force_locale("fr"):
        assert "Outillage" in reasons_from_data(data)
    older = SimpleNamespace(reason_data=None, reason="Dépassement du plafond")
    assert request_reason(older) == "Dépassement du plafond"


@pytest.mark.parametrize(("trade", "kind"), [
    ("Gros œuvre et maçonnerie", "jobsite"), ("", "jobsite"), (None, "jobsite"),
    ("Restauration traditionnelle", "kitchen"), ("Hôtellerie-restauration", "kitchen"),
    ("Catering", "kitchen"), ("Négoce de quincaillerie (revendeur)", "shop"),
    ("Hardware dealer", "shop"),
])
def test_the_delivery_place_follows_the_trade(trade, kind):
    assert places.place_kind(trade) == kind


def test_place_words_name_the_place_and_its_contact(ctx):
    with force_locale("fr"):
        kitchen = places.place_words(SimpleNamespace(trade="Restauration"))
        assert (kitchen.place, kitchen.every_place, kitchen.contact) == (
            "Cuisine", "Toutes les cuisines", "Contact en cuisine")
        assert kitchen.contact_is("Léa") == "Contact en cuisine\u202f: Léa"
        assert places.place_words(None).place == "Chantier"


@pytest.mark.parametrize(("raw", "kind"), [
    ("pallet", "pallet"), ("Palette", "pallet"), (" SAC ", "bag"), ("boîte", "box"),
    ("", ""), (None, ""), ("tonneau", None),
])
def test_pack_kinds_are_read_in_either_language(raw, kind):
    assert packs.normalize_kind(raw) == kind


@pytest.mark.parametrize(("kind", "french", "english"), [
    ("pallet", "palette de 40", "pallet of 40"), ("bag", "sac de 40", "bag of 40"),
    ("case", "carton de 40", "case of 40"), ("", "carton de 40", "case of 40"),
    ("unknown", "carton de 40", "case of 40"),
])
def test_a_product_names_its_pack(ctx, kind, french, english):
    product = SimpleNamespace(case_pack=40, pack_kind=kind)
    with force_locale("fr"):
        assert packs.case_label(product) == french
        assert packs.case_label(product, capital=True) == french.capitalize()
    with force_locale("en"):
        assert packs.case_label(product) == english
