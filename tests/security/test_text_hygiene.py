"""The clean-text rule (finding 12.11): bidi controls and zero-width characters never reach
the database, whitespace is folded, text is NFC; CSV cells that a spreadsheet would read as a
formula are neutralised even behind full-width or invisible characters."""

import unicodedata

import pytest
from sqlalchemy import String, Text, select

from portal.extensions import db
from portal.models import Company, Product, Role, ShoppingList, Unit, UnitKind
from portal.services.backoffice.csv_export import neutralize
from portal.services.text import FIELDS, NOT_FREE_TEXT, clean_line, clean_text
from tests import factories as f
from tests.conftest import login

RLO, LRI, PDI = "\u202e", "\u2066", "\u2069"  # right-to-left override, isolates
ZWSP, ZWJ, BOM, SHY = "\u200b", "\u200d", "\ufeff", "\xad"  # invisible ones
# "Chantier Lyon" that a reader sees as something else, or as another list's name.
HOSTILE = f" {ZWSP}Chan{SHY}tier{RLO}  noyL{PDI}\t{BOM}{LRI}Nord{ZWJ} \n"
DECOMPOSED = "Be\u0301ton"  # "Béton" typed with a combining accent


@pytest.mark.parametrize(("raw", "stored"), [
    (HOSTILE, "Chantier noyL Nord"),
    (DECOMPOSED, "Béton"),
    ("  Site\u00a0 2\u2028bis ", "Site 2 bis"),
    # French typography's no-break spaces, alone, are text: "Paiement : 1 000 €".
    ("Paiement\u202f: 1\u202f000\xa0€", "Paiement\u202f: 1\u202f000\xa0€"),
    (f"{ZWSP}{RLO}{BOM}", ""),
    ("Vis \U0001f529 inox", "Vis \U0001f529 inox"),
    ("plain text", "plain text"),
])
def test_one_line_keeps_only_what_a_reader_sees(raw, stored):
    assert clean_line(raw) == stored
    assert unicodedata.is_normalized("NFC", clean_line(raw))


def test_a_multi_line_text_keeps_its_lines_and_loses_the_rest():
    raw = f"Portail{ZWSP} bleu \r\n\r\n\r\n\r\n  Code{RLO} 1234  \rApp{LRI}eler"
    assert clean_text(raw) == "Portail bleu\n\nCode 1234\nAppeler"


def test_every_text_column_is_declared_free_text_or_not(app):
    """A new column must say whether the rule applies to it (like the permission matrix)."""
    undeclared = []
    for mapper in db.Model.registry.mappers:
        name = mapper.class_.__name__
        for column in mapper.columns:
            if type(column.type) not in (String, Text):
                continue
            if column.key not in {*FIELDS.get(name, {}), *NOT_FREE_TEXT.get(name, set())}:
                undeclared.append(f"{name}.{column.key}")
    assert not undeclared


def test_free_text_typed_in_forms_is_stored_clean(figure, app, world):
    client = app.test_client()
    login(client, world.a.buyer)
    assert client.post("/lists/new", data={"name": HOSTILE}).status_code == 303
    invisible = client.post("/lists/new", data={"name": f"{ZWSP}{RLO}{BOM}"})
    assert invisible.status_code == 422
    names = db.session.scalars(select(ShoppingList.name)).all()
    assert names == ["Chantier noyL Nord"]
    cart_line = _cart_line(world)
    assert client.post(f"/cart/line/{cart_line.id}/note",
                       data={"note": f"Livrer{ZWSP} {RLO}porte 2"}).status_code in (200, 303)
    admin = app.test_client()
    login(admin, world.a.admin)
    created = admin.post("/company/units/new", data={
        "kind": "branch", "name": f"{DECOMPOSED}{RLO} Nord{ZWJ}", "parent": ""})
    assert created.status_code == 303, created.text[:400]
    db.session.expire_all()
    assert cart_line.note == "Livrer porte 2"
    unit = db.session.scalar(select(Unit).where(Unit.kind == UnitKind.BRANCH,
                                                Unit.name.like("B%")))
    assert unit.name == "Béton Nord"
    figure("text hygiene: list name, cart note and unit name stored without bidi or "
           "zero-width characters; a name of invisible characters only is refused (422)")


def _cart_line(world):
    from portal.models import Cart, CartLine

    cart = Cart(user_id=world.a.buyer.id, company_id=world.a.company.id)
    db.session.add(cart)
    db.session.flush()
    line = CartLine(cart_id=cart.id, product_id=world.products["screws"].id, quantity=10)
    db.session.add(line)
    db.session.commit()
    return line


def test_names_set_anywhere_go_through_the_rule(app, world):
    """Imports, staff screens and services alike: the rule sits on the columns."""
    company = f.company(f"Durand{RLO} BTP{ZWSP}")
    product = f.product(world.categories["tools"], "BIDI-1")
    product.name_fr = f"Vis{LRI} inox{PDI}"
    product.description_fr = f"Tête{ZWSP} fraisée\n\n\n\nInox A2{BOM}"
    db.session.commit()
    db.session.expire_all()
    assert db.session.get(Company, company.id).name == "Durand BTP"
    stored = db.session.get(Product, product.id)
    assert (stored.name_fr, stored.description_fr) == ("Vis inox", "Tête fraisée\n\nInox A2")


HIDDEN_FORMULAS = (
    "\uff1dHYPERLINK(\"http://x\")",  # full-width equals sign
    f"{ZWSP}=1+1",
    f"{BOM}+33 6 00",
    f"{RLO}-2",
    "\uff20SUM(A1)",  # full-width @
    "\u00a0=cmd",
    "\uff0b1",  # full-width plus
    "\ufe631",  # small hyphen-minus
    "\u2003=1",  # em space
)


def test_csv_cells_hiding_a_formula_start_are_neutralised(figure):
    missed = [cell for cell in HIDDEN_FORMULAS if neutralize(cell) != "'" + cell]
    figure(f"CSV neutralisation: {len(HIDDEN_FORMULAS)} formula starts hidden behind "
           f"full-width or invisible characters, missed {len(missed)}")
    assert not missed


def test_csv_cells_without_a_formula_start_are_left_alone():
    assert neutralize("Vis =inox") == "Vis =inox"
    assert neutralize("Béton") == "Béton"


def test_the_application_form_refuses_a_name_made_of_invisible_characters(client):
    from tests.integration.test_apply_form import VALID

    answer = client.post("/apply/", data={**VALID, "company_name": f"{ZWSP}{RLO} {BOM}"},
                         headers={"Accept-Language": "en"})
    assert answer.status_code == 422
    assert db.session.scalar(select(Company).where(Company.status == "pending")) is None


def test_a_rejection_comment_is_stored_clean_and_an_invisible_one_is_refused(app, world):
    """Decisions are stored by a conditional update, outside the column rule."""
    from portal.models import ApprovalRequest, ApprovalStatus

    f.rule(world.a.company, Role.APPROVER, when_over_order_limit=True)
    order = f.order(world.a.buyer, [(world.products["cement"], 10, 15_000)],
                    jobsite=world.a.sites[0], route=True)
    req = f.requests_of(order)[0]
    client = app.test_client()
    login(client, world.a.approver)
    invisible = client.post(f"/approvals/{req.id}/reject", data={"comment": f"{ZWSP}{RLO}"})
    assert invisible.status_code == 422
    answer = client.post(f"/approvals/{req.id}/reject",
                         data={"comment": f"Trop{ZWSP} cher{RLO}\r\n\r\n\r\nVoir{BOM} devis"})
    assert answer.status_code == 303
    db.session.expire_all()
    stored = db.session.get(ApprovalRequest, req.id)
    assert (stored.status, stored.comment) == (ApprovalStatus.REJECTED,
                                               "Trop cher\n\nVoir devis")
