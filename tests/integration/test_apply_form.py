"""Opening a trade account: the SIRET/VAT rules, the public form, what it creates."""

import html

import pytest
from sqlalchemy import func, select

from portal.extensions import db
from portal.models import (
    AccountApplication,
    ApplicationStatus,
    Company,
    CompanyStatus,
    OutboxMessage,
    PaymentTerms,
    Role,
    User,
)
from portal.services.backoffice.applications import approval_defaults, check_legal_id

VALID = {
    "company_name": "Durand Bâtiment",
    "legal_id": "732 829 320 00074",
    "trade": "building_contractor",
    "address_line": "12 rue des Artisans",
    "postal_code": "69007",
    "city": "Lyon",
    "contact_name": "Julien Moreau",
    "email": "Julien@Durand.example",
    "phone": "06 12 34 56 78",
}


@pytest.mark.parametrize(
    ("raw", "kind", "value", "problem"),
    [
        ("73282932000074", "siret", "73282932000074", None),
        ("732 829 320 00074", "siret", "73282932000074", None),
        ("732.829.320.00074", "siret", "73282932000074", None),
        ("73282932000075", "siret", "73282932000075", "siret_checksum"),
        ("7328293200007", "siret", "7328293200007", "siret_length"),
        ("732829320000741", "siret", "732829320000741", "siret_length"),
        # La Poste's establishments: digit sum divisible by 5 instead of Luhn.
        ("35600000049837", "siret", "35600000049837", None),
        ("FR40123456789", "vat", "FR40123456789", None),
        ("fr 40 123456789", "vat", "FR40123456789", None),
        ("FRAB123456789", "vat", "FRAB123456789", None),
        ("FR4012345678", "vat", "FR4012345678", "vat_format"),
        ("FR40A23456789", "vat", "FR40A23456789", "vat_format"),
        ("DE123456789", "", "DE123456789", "unknown"),
        ("٧٣٢٨٢٩٣٢٠٠٠٠٧٤", "", "٧٣٢٨٢٩٣٢٠٠٠٠٧٤", "unknown"),
        ("", "", "", "empty"),
        (None, "", "", "empty"),
    ],
)
def test_a_siret_needs_14_digits_passing_luhn_and_a_vat_number_fr_2_chars_9_digits(
        raw, kind, value, problem):
    check = check_legal_id(raw)
    assert (check.kind, check.value, check.problem) == (kind, value, problem)


@pytest.mark.parametrize(
    ("trade", "groups", "group"),
    [
        ("building_contractor", {"BTP", "CHR"}, "BTP"),
        ("electrician", {"BTP"}, "BTP"),
        ("plumber", {"BTP"}, "BTP"),
        ("restaurant", {"BTP", "CHR"}, "CHR"),
        ("hotel", {"CHR"}, "CHR"),
        ("dealer", {"BTP", "CHR", "REVENDEURS"}, "REVENDEURS"),
        ("dealer", {"BTP", "CHR"}, None),
        ("other", {"BTP", "CHR"}, None),
        ("restaurant", set(), None),
    ],
)
def test_the_approve_form_proposes_the_trades_usual_group_and_net_30(trade, groups, group):
    defaults = approval_defaults(trade, groups)
    assert defaults.group_code == group
    assert defaults.payment_terms == PaymentTerms.NET30


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_the_form_has_a_labelled_control_for_every_field(client):
    page = html.unescape(client.get("/apply/").get_data(as_text=True))
    for field in VALID:
        assert f'for="{field}"' in page
    assert "Demander l'ouverture du compte" in page
    english = client.get("/apply/", headers={"Accept-Language": "en"}).text
    assert ">Apply for an account</button>" in english


def test_a_valid_application_creates_a_pending_company_its_admin_and_an_email(client):
    response = client.post("/apply/", data=VALID, headers={"Accept-Language": "en"})
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/apply/sent")
    company = db.session.scalar(select(Company))
    assert (company.name, company.legal_id, company.trade, company.status) == (
        "Durand Bâtiment", "73282932000074", "building_contractor", CompanyStatus.PENDING)
    assert company.addresses[0].one_line() == "12 rue des Artisans, 69007 Lyon"
    user = db.session.scalar(select(User))
    assert (user.email, user.role, user.password_hash, user.company_id, user.language) == (
        "julien@durand.example", Role.COMPANY_ADMIN, "", company.id, "en")
    application = db.session.scalar(select(AccountApplication))
    assert application.status == ApplicationStatus.PENDING
    assert application.contact_email == "julien@durand.example"
    mail = db.session.scalar(select(OutboxMessage))
    assert mail.to_address == "julien@durand.example"
    assert mail.subject == "We received your trade account application"
    assert "Durand Bâtiment" in mail.body_text
    assert "Thank you" in client.get("/apply/sent", headers={"Accept-Language": "en"}).text


def test_a_wrong_siret_says_the_check_digit_is_wrong_and_creates_nothing(client):
    response = client.post("/apply/", data={**VALID, "legal_id": "73282932000075"},
                           headers={"Accept-Language": "en"})
    assert response.status_code == 422
    assert "This SIRET number is not valid" in response.text
    assert _count(Company) == _count(User) == _count(AccountApplication) == 0


def test_a_short_siret_says_how_many_digits_were_typed(client):
    response = client.post("/apply/", data={**VALID, "legal_id": "1234"},
                           headers={"Accept-Language": "en"})
    assert response.status_code == 422
    assert "A SIRET number has 14 digits; you typed 4." in response.text


def test_a_malformed_vat_number_explains_the_french_format(client):
    response = client.post("/apply/", data={**VALID, "legal_id": "FR123"},
                           headers={"Accept-Language": "en"})
    assert response.status_code == 422
    assert "A French VAT number is FR, two characters" in response.text
    assert _count(Company) == 0


def test_the_vat_problem_is_shown_even_when_other_fields_are_missing(client):
    response = client.post("/apply/", data={"legal_id": "FR123"},
                           headers={"Accept-Language": "en"})
    assert response.status_code == 422
    assert "A French VAT number is FR, two characters" in response.text


def test_an_email_already_used_gets_the_same_answer_and_its_owner_an_email(client, world):
    """The form must not confirm which addresses have an account (finding 12.8)."""
    used = client.post("/apply/", data={**VALID, "email": "BUYER-A@test.example"},
                       headers={"Accept-Language": "en"})
    assert used.status_code == 303 and used.headers["Location"] == "/apply/sent"
    assert "already" not in used.text
    assert _count(AccountApplication) == 0
    assert db.session.scalar(select(func.count(Company.id))) == 2  # only A and B
    (mail,) = db.session.scalars(select(OutboxMessage)).all()
    assert mail.to_address == "buyer-a@test.example" and mail.kind == "application_existing"
    assert "https://portal.test/password/forgot" in mail.body_text
    fresh = client.post("/apply/", data={**VALID, "email": "someone.new@test.example"},
                        headers={"Accept-Language": "en"})
    assert (fresh.status_code, fresh.headers["Location"]) == (303, "/apply/sent")


def test_the_french_form_speaks_french(client):
    response = client.post("/apply/", data={**VALID, "legal_id": "73282932000075"},
                           headers={"Accept-Language": "fr"})
    text = html.unescape(response.text)
    assert "Ce numéro SIRET n'est pas valide\u202f: vérifiez ses chiffres." in text


def test_applications_are_rate_limited_to_five_an_hour(client):
    for _ in range(5):
        assert client.post("/apply/", data={"legal_id": "1"}).status_code == 422
    assert client.post("/apply/", data={"legal_id": "1"}).status_code == 429
