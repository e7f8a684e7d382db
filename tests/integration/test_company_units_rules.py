"""Company administration of units (tree, jobsite details, archive) and approval rules."""

import pytest

from portal.extensions import db
from portal.models import ApprovalRule, AuditEntry, Role, Unit, UnitKind
from tests import factories as f
from tests.conftest import htmx_headers, login


def _reload(obj):
    db.session.expire_all()
    return db.session.get(type(obj), obj.id)


JOBSITE = {"kind": "jobsite", "name": "Chantier Gare", "budget": "20 000",
           "line1": "3 place de la Gare", "postal_code": "69003", "city": "Lyon",
           "site_contact_name": "Marc", "site_contact_phone": "0611223344",
           "delivery_window": "7h-9h", "delivery_notes": "Portail B", "project_code": "GARE-24"}


def test_the_units_tree_lists_divisions_branches_and_jobsites(client, world):
    login(client, world.a.admin)
    page = client.get("/company/units").get_data(as_text=True)
    assert page.index("Agence") < page.index("Site 1")
    assert "Company B" not in page


def test_the_admin_adds_a_jobsite_with_its_delivery_details(client, world):
    login(client, world.a.admin)
    response = client.post("/company/units/new", data={**JOBSITE,
                                                       "parent": str(world.a.branch.id)})
    assert response.status_code == 303
    site = db.session.scalars(db.select(Unit).where(Unit.name == "Chantier Gare")).one()
    assert (site.company_id, site.kind, site.parent_id, site.budget_cents) == (
        world.a.company.id, UnitKind.JOBSITE, world.a.branch.id, 2_000_000)
    assert (site.project_code, site.site_contact_phone, site.delivery_window) == (
        "GARE-24", "0611223344", "7h-9h")
    assert site.address.city == "Lyon" and site.address.company_id == world.a.company.id
    assert db.session.scalars(db.select(AuditEntry.action)).all() == ["unit.create"]


@pytest.mark.parametrize("change", [
    {"line1": ""},                       # a jobsite needs an address
    {"budget": "abc"},
    {"kind": "galaxy"},
    {"parent": "999999"},
])
def test_a_bad_unit_is_refused_with_422(client, world, change):
    login(client, world.a.admin)
    data = {**JOBSITE, "parent": str(world.a.branch.id), **change}
    assert client.post("/company/units/new", data=data).status_code == 422
    assert db.session.scalar(db.select(db.func.count(Unit.id)).where(
        Unit.name == "Chantier Gare")) == 0


def test_a_unit_cannot_be_put_under_a_unit_of_another_company_or_under_itself(client, world):
    login(client, world.a.admin)
    for parent in (world.b.branch.id, world.a.branch.id):
        response = client.post(f"/company/units/{world.a.branch.id}", data={
            "kind": "branch", "name": "Agence", "parent": str(parent)})
        assert response.status_code == 422
    assert _reload(world.a.branch).parent_id is None


def test_archiving_asks_for_confirmation_and_keeps_units_with_children(client, world):
    login(client, world.a.admin)
    assert client.get(f"/company/units/{world.a.sites[1].id}/archive").status_code == 200
    assert client.post(f"/company/units/{world.a.branch.id}/archive").status_code == 422
    assert client.post(f"/company/units/{world.a.sites[1].id}/archive").status_code == 303
    assert _reload(world.a.sites[1]).archived
    assert client.post(f"/company/units/{world.a.sites[1].id}/restore").status_code == 303
    assert not _reload(world.a.sites[1]).archived


def _rule_form(world, **over):
    data = {"name": "Over limit", "scope": "", "min_total": "", "over_order_limit": "y",
            "category": "", "jobsite": "", "step1": "approver", "step1_min": "",
            "step2": "company_admin", "step2_min": "5 000", "step3": "", "step3_min": "",
            "position": "1"}
    data.update(over)
    return data


def test_the_admin_creates_a_two_step_rule_that_routes_orders(client, world):
    login(client, world.a.admin)
    assert client.post("/company/rules/new", data=_rule_form(world)).status_code == 303
    rule = db.session.scalars(db.select(ApprovalRule)).one()
    assert rule.company_id == world.a.company.id and rule.when_over_order_limit
    assert [(s.approver_role, s.min_total_cents) for s in rule.steps] == [
        (Role.APPROVER, None), (Role.COMPANY_ADMIN, 500_000)]
    page = client.get("/company/rules", headers={"Accept-Language": "en"})
    assert "Over limit" in page.get_data(as_text=True)
    order = f.order(world.a.buyer, [(world.products["cement"], 1, 600_000)], route=True)
    assert [r.approver_role for r in f.requests_of(order)] == [Role.APPROVER, Role.COMPANY_ADMIN]
    entry = db.session.scalars(db.select(AuditEntry)).one()
    assert entry.action == "rule.create" and entry.detail["after"]["steps"][1][
        "min_total_cents"] == 500_000


def test_editing_and_deactivating_a_rule_are_audited(client, world):
    rule = f.rule(world.a.company, Role.APPROVER, when_over_order_limit=True)
    db.session.commit()
    login(client, world.a.admin)
    assert 'selected' in client.get(f"/company/rules/{rule.id}").get_data(as_text=True)
    response = client.post(f"/company/rules/{rule.id}", data=_rule_form(
        world, name="Named", step1=f"user:{world.a.approver.id}", step2=""))
    assert response.status_code == 303
    rule = _reload(rule)
    assert rule.name == "Named" and [s.approver_user_id for s in rule.steps] == [
        world.a.approver.id]
    assert client.post(f"/company/rules/{rule.id}/deactivate").status_code == 303
    assert not _reload(rule).active
    actions = db.session.scalars(db.select(AuditEntry.action).order_by(AuditEntry.id)).all()
    assert actions == ["rule.update", "rule.deactivate"]


@pytest.mark.parametrize("over", [
    {"step1": "", "step2": ""},                         # no step
    {"step1": "user:{b_approver}"},                     # a user of another company
    {"scope": "{b_branch}"},                            # a unit of another company
    {"jobsite": "{a_branch}"},                          # not a jobsite
    {"min_total": "1e9"},
    {"position": "-1"},
])
def test_a_rule_with_foreign_or_bad_values_is_refused(client, world, over):
    login(client, world.a.admin)
    values = {k: v.format(b_approver=world.b.approver.id, b_branch=world.b.branch.id,
                          a_branch=world.a.branch.id) for k, v in over.items()}
    assert client.post("/company/rules/new", data=_rule_form(world, **values)).status_code == 422
    assert db.session.scalar(db.select(db.func.count(ApprovalRule.id))) == 0


@pytest.mark.parametrize("method, path", [
    ("get", "/company/units/{unit}"), ("post", "/company/units/{unit}"),
    ("get", "/company/units/{unit}/archive"), ("post", "/company/units/{unit}/archive"),
    ("post", "/company/units/{unit}/restore"),
    ("get", "/company/rules/{rule}"), ("post", "/company/rules/{rule}"),
    ("post", "/company/rules/{rule}/deactivate"), ("post", "/company/rules/{rule}/activate"),
])
def test_units_and_rules_of_another_company_are_404_as_page_and_fragment(client, world,
                                                                           method, path):
    foreign_rule = f.rule(world.b.company, Role.APPROVER, when_over_order_limit=True)
    db.session.commit()
    login(client, world.a.admin)
    url = path.format(unit=world.b.branch.id, rule=foreign_rule.id)
    for headers in ({}, htmx_headers()):
        response = getattr(client, method)(url, headers=headers,
                                           data={"name": "x", "kind": "branch"})
        assert response.status_code == 404
    assert _reload(world.b.branch).name == "Agence" and not _reload(world.b.branch).archived
    assert _reload(foreign_rule).active
    assert db.session.scalar(db.select(db.func.count(AuditEntry.id))) == 0
