"""Route inventory and permission matrix: every endpoint is declared, and answers as declared.

For each endpoint and each role (and anonymous) one real request is made; ids in the URL are
ids that exist nowhere, so an allowed role reaches the view (and gets its 404 or its page)
while a denied role is stopped before: 403 when signed in, sign-in redirect when anonymous.
"""

import pytest

from tests.conftest import login
from tests.security import matrix

pytestmark = pytest.mark.parametrize("app", ["sqlite"], indirect=True)


def test_every_route_is_in_the_matrix_file_and_declared(app):
    declared = matrix.declared(app)
    undeclared = sorted(e for e, row in declared.items() if "undeclared" in row.values())
    assert not undeclared, f"views without @allow(...): {undeclared}"
    in_file = matrix.read()
    missing = sorted(set(declared) - set(in_file))
    stale = sorted(set(in_file) - set(declared))
    assert not missing, f"routes missing from {matrix.MATRIX_FILE.name}: {missing}"
    assert not stale, f"rows for routes that no longer exist: {stale}"


def test_the_matrix_file_matches_the_declarations_in_the_code(app):
    assert matrix.declared(app) == matrix.read(), (
        "access changed: review it and run `python -m tests.security.matrix`"
    )


def test_each_role_gets_exactly_what_the_matrix_says(figure, app, world):
    users = {
        "company_admin": world.a.admin, "approver": world.a.approver, "buyer": world.a.buyer,
        "viewer": world.a.viewer, "staff_admin": world.staff, "sales_rep": world.rep,
        "fulfilment": world.fulfilment,
    }
    expected = matrix.read()
    rules = [r for r in app.url_map.iter_rules() if r.endpoint in expected]
    mismatches, requests = [], 0
    for role in matrix.ROLES:
        client = app.test_client()
        if role != "anonymous":
            login(client, users[role])
        for rule in rules:
            if rule.endpoint in ("auth.logout",):
                continue  # would end this client's session mid-sweep
            # The API writes with PUT too; pages post.
            method = "GET" if "GET" in rule.methods else min(rule.methods - {"HEAD", "OPTIONS"})
            response = client.open(matrix.sample_url(rule), method=method)
            requests += 1
            location = response.headers.get("Location", "")
            denied = response.status_code == 403 or (
                response.status_code in (301, 302, 303) and "/login" in location
                and role == "anonymous"
            ) or response.status_code == 401
            should_deny = expected[rule.endpoint][role] == "deny"
            if denied != should_deny:
                mismatches.append((role, rule.endpoint, method, response.status_code))
    figure(f"permission matrix: {len(rules)} endpoints × {len(matrix.ROLES)} roles, "
          f"{requests} requests, mismatches {len(mismatches)}")
    assert not mismatches, mismatches
