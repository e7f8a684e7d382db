"""Staff admins and the `portal api-clients` command create, rotate and revoke clients; the
token appears once, in the answer that made it."""

import re

from sqlalchemy import select

from portal.extensions import db
from portal.models import ApiClient, AuditEntry
from portal.services import integration
from tests.conftest import login


def _token_in(html: str) -> str:
    found = re.search(r'value="(pfk_[A-Za-z0-9_-]+)"', html)
    assert found, html[:2000]
    return found.group(1)


def test_staff_admin_creates_a_client_and_sees_its_token_once(app, client, world):
    login(client, world.staff)
    page = client.post("/staff/api-clients", data={"name": "ERP production",
                                                   "scopes": ["orders:read", "stock:write"]})
    assert page.status_code == 200
    token = _token_in(page.get_data(as_text=True))
    stored = db.session.scalar(select(ApiClient).where(ApiClient.name == "ERP production"))
    assert stored.scopes == ["orders:read", "stock:write"]
    assert stored.created_by_id == world.staff.id
    again = client.get("/staff/api-clients").get_data(as_text=True)
    assert "ERP production" in again and token not in again
    api = app.test_client().get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert api.get_json()["name"] == "ERP production"
    assert db.session.scalar(select(AuditEntry).where(AuditEntry.action == "api_client.created"))


def test_a_client_without_a_scope_or_with_a_taken_name_is_refused(app, client, world):
    login(client, world.staff)
    assert client.post("/staff/api-clients", data={"name": "ERP"}).status_code == 422
    assert client.post("/staff/api-clients", data={"name": "ERP", "scopes": ["orders:read"]}
                       ).status_code == 200
    taken = client.post("/staff/api-clients", data={"name": "ERP", "scopes": ["orders:read"]})
    assert taken.status_code == 422
    assert "Un client porte déjà ce nom." in taken.get_data(as_text=True)
    assert client.post("/staff/api-clients", data={"name": "X", "scopes": ["cart:write"]}
                       ).status_code == 422


def test_rotate_and_revoke_from_the_back_office(app, client, world):
    login(client, world.staff)
    page = client.post("/staff/api-clients", data={"name": "PIM", "scopes": ["catalog:read"]})
    first = _token_in(page.get_data(as_text=True))
    pim = integration.client_by_name("PIM")
    second = _token_in(client.post(f"/staff/api-clients/{pim.id}/rotate").get_data(as_text=True))
    api = app.test_client()
    assert api.get("/api/v1/me", headers={"Authorization": f"Bearer {first}"}).status_code == 401
    assert api.get("/api/v1/me", headers={"Authorization": f"Bearer {second}"}).status_code == 200
    assert client.post(f"/staff/api-clients/{pim.id}/revoke").status_code == 303
    assert api.get("/api/v1/me", headers={"Authorization": f"Bearer {second}"}).status_code == 401


def test_only_staff_admins_manage_clients(app, client, world):
    login(client, world.fulfilment)
    assert client.get("/staff/api-clients").status_code == 403
    assert client.get("/staff/api-reference").status_code == 200


def test_the_reference_page_lists_every_operation(app, client, world):
    login(client, world.staff)
    html = client.get("/staff/api-reference").get_data(as_text=True)
    for path in ("/api/v1/orders", "/api/v1/orders/{order_id}", "/api/v1/me"):
        assert path in html


def test_the_command_prints_the_token_once_and_lists_without_it(app):
    from flask.cli import ScriptInfo

    from portal.cli import main

    runner = app.test_cli_runner()
    info = ScriptInfo(create_app=lambda: app)

    def invoke(args):
        return runner.invoke(main, args=args, obj=info)

    made = invoke(args=["api-clients", "create", "ERP", "--scope", "orders:read",
                               "--scope", "fulfilment:write"])
    assert made.exit_code == 0, made.output
    token = made.output.strip().splitlines()[-1]
    assert token.startswith("pfk_")
    listed = invoke(args=["api-clients", "list"])
    assert "ERP" in listed.output and token not in listed.output
    bad = invoke(args=["api-clients", "create", "ERP", "--scope", "orders:read"])
    assert bad.exit_code != 0 and "Un client porte déjà ce nom." in bad.output
    assert invoke(["api-clients", "revoke", "ERP"]).exit_code == 0
    db.session.expire_all()
    assert integration.authenticate(token) is None


def test_a_revoked_client_gets_no_new_token_and_the_page_says_why(app, client, world):
    login(client, world.staff)
    client.post("/staff/api-clients", data={"name": "Old CRM", "scopes": ["customers:read"]})
    crm = integration.client_by_name("Old CRM")
    assert client.post(f"/staff/api-clients/{crm.id}/revoke").status_code == 303
    page = client.post(f"/staff/api-clients/{crm.id}/rotate")
    assert page.status_code == 409
    html = page.get_data(as_text=True)
    assert "Ce client est révoqué." in html and 'id="new-token"' not in html
