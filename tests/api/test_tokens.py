"""Tokens: random, stored hashed, shown once, scoped, revoked and rotated at once; every bad
request is a precise problem+json answer and changes nothing."""

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.models import ApiClient, AuditEntry, OrderReference
from portal.services import integration
from tests import factories as f
from tests.api.conftest import assert_problem


def test_a_token_is_shown_once_and_only_its_fingerprint_is_stored(app, make_caller):
    caller = make_caller("orders:read", name="ERP")
    stored = db.session.scalar(select(ApiClient).where(ApiClient.name == "ERP"))
    assert caller.token.startswith("pfk_") and len(caller.token) > 40
    assert caller.token not in (stored.token_hash, stored.token_hint)
    assert stored.token_hash == integration.hash_token(caller.token)
    answer = caller.get("/api/v1/me")
    assert answer.status_code == 200
    assert answer.get_json() == {"name": "ERP", "scopes": ["orders:read"], "company_id": None}


@pytest.mark.parametrize("header", [None, "Bearer", "Bearer nope", "Basic abc",
                                    "bearer " + "x" * 500])
def test_a_missing_or_wrong_token_is_401_with_a_problem(client, header):
    headers = {"Authorization": header} if header else {}
    body = assert_problem(client.get("/api/v1/orders", headers=headers), 401, "invalid_token")
    assert "Bearer" in body["detail"]


def test_a_revoked_token_stops_working_at_the_next_request(app, make_caller):
    caller = make_caller("orders:read")
    assert caller.get("/api/v1/orders").status_code == 200
    integration.revoke_client(caller.client, now=datetime.now(UTC))
    db.session.commit()
    assert_problem(caller.get("/api/v1/orders"), 401, "invalid_token")


def test_rotating_gives_a_new_token_and_the_old_one_fails(app, make_caller):
    caller = make_caller("orders:read")
    new = integration.rotate_client(caller.client, now=datetime.now(UTC))
    db.session.commit()
    assert_problem(caller.get("/api/v1/orders"), 401)
    caller.token = new
    assert caller.get("/api/v1/orders").status_code == 200


def test_a_token_without_the_scope_is_403_and_names_the_scope(app, make_caller, world):
    order = f.order(world.a.buyer, [(world.products["cement"], 2)], commit=True)
    caller = make_caller("orders:read")
    body = assert_problem(caller.put(f"/api/v1/orders/{order.id}/erp-number",
                                     {"erp_number": "SO-1"}), 403, "insufficient_scope")
    assert "fulfilment:write" in body["detail"]
    assert db.session.get(OrderReference, order.id) is None


def test_customer_clients_cannot_hold_seller_scopes(app, world):
    from portal.services import DomainError

    with app.test_request_context(), pytest.raises(DomainError):
        integration.create_client("Procurement", ["catalog:write"], company_id=world.a.company.id,
                                  now=datetime.now(UTC))


@pytest.fixture
def erp(make_caller, world):
    order = f.order(world.a.buyer, [(world.products["cement"], 2)], commit=True)
    caller = make_caller("fulfilment:write", "orders:read", name="ERP prod")
    caller.path = f"/api/v1/orders/{order.id}/erp-number"
    caller.order = order
    return caller


def test_a_write_is_audited_with_the_clients_name_and_shown_on_the_order(app, erp):
    answer = erp.put(erp.path, {"erp_number": "SO-2026-0042"})
    assert answer.status_code == 200, answer.data
    assert answer.get_json()["erp_number"] == "SO-2026-0042"
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "order.erp_number"))
    assert entry.detail["api_client"] == "ERP prod"
    assert entry.company_id == erp.order.company_id
    assert erp.get(f"/api/v1/orders/{erp.order.id}").get_json()["erp_number"] == "SO-2026-0042"


@pytest.mark.parametrize(("raw", "status", "code", "pointer"), [
    (b'{"erp_number": ', 400, "malformed_json", None),
    (b"[1, 2]", 422, "not_an_object", ""),
    (b'{"erp_number": "SO-1", "status": "shipped"}', 422, "invalid_fields", "/status"),
    (b'{"erp_number": 12}', 422, "invalid_fields", "/erp_number"),
    (b'{"erp_number": ""}', 422, "invalid_fields", "/erp_number"),
    (b"{}", 422, "invalid_fields", "/erp_number"),
    (b'{"erp_number": "' + b"9" * 41 + b'"}', 422, "invalid_fields", "/erp_number"),
])
def test_bad_bodies_get_precise_problems_and_change_nothing(app, erp, raw, status, code,
                                                             pointer):
    body = assert_problem(erp.put(erp.path, raw=raw), status, code)
    if pointer is not None:
        assert pointer in [e.get("pointer") for e in body["errors"]], body
        assert all(e["detail"] for e in body["errors"])
    assert db.session.get(OrderReference, erp.order.id) is None


def test_a_body_that_is_not_json_is_415(app, erp):
    answer = erp.http.put(erp.path, data="erp_number=1", headers={
        **erp.headers(), "Content-Type": "application/x-www-form-urlencoded"})
    assert_problem(answer, 415, "not_json")


def test_a_20_mb_body_is_413_not_a_crash(app, erp):
    raw = b'{"erp_number": "' + b"x" * (20 * 1024 * 1024) + b'"}'
    assert_problem(erp.put(erp.path, raw=raw), 413)
    assert db.session.get(OrderReference, erp.order.id) is None


def test_unknown_paths_and_methods_answer_problems(app, erp):
    assert_problem(erp.get("/api/v1/nothing-here"), 404)
    answer = erp.http.delete("/api/v1/orders", headers=erp.headers())
    assert_problem(answer, 405)
    assert "GET" in answer.headers["Allow"]


def test_another_companys_order_is_404_to_a_customer_token(app, make_caller, world):
    theirs = f.order(world.b.buyer, [(world.products["cement"], 1)], commit=True)
    ours = f.order(world.a.buyer, [(world.products["cement"], 1)], commit=True)
    caller = make_caller("orders:read", company=world.a.company)
    assert caller.get(f"/api/v1/orders/{ours.id}").status_code == 200
    assert_problem(caller.get(f"/api/v1/orders/{theirs.id}"), 404)
    listed = caller.get("/api/v1/orders").get_json()["data"]
    assert [o["id"] for o in listed] == [ours.id]


@pytest.mark.config(API_RATE_LIMIT="3 per minute")
def test_a_client_over_its_rate_limit_gets_429_with_retry_after(app, make_caller):
    caller, other = make_caller("orders:read"), make_caller("orders:read")
    assert [caller.get("/api/v1/me").status_code for _ in range(3)] == [200, 200, 200]
    answer = caller.get("/api/v1/me")
    assert_problem(answer, 429)
    assert 1 <= int(answer.headers["Retry-After"]) <= 60
    assert other.get("/api/v1/me").status_code == 200  # per client, not global


def test_the_buyer_sees_the_erp_number_on_the_order_page(app, erp, world):
    from tests.conftest import login

    assert erp.put(erp.path, {"erp_number": "SO-2026-0077"}).status_code == 200
    buyer = app.test_client()
    login(buyer, world.a.buyer)
    page = buyer.get(f"/orders/{erp.order.id}").get_data(as_text=True)
    assert "SO-2026-0077" in page
