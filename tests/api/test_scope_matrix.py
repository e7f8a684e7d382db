"""Every API operation × every scope: the reviewed file matches the code, and a token holding
only one scope gets exactly what the file says (denied: 403 before any work)."""

import pytest

from tests.security import matrix

pytestmark = pytest.mark.parametrize("app", ["sqlite"], indirect=True)


def test_the_api_matrix_file_matches_the_operations_in_the_code(app):
    declared = matrix.api_declared(app)
    assert declared, "no API operation found"
    assert declared == matrix.api_read(), (
        "API access changed: review it and run `python -m tests.security.matrix`")


def test_each_scope_gets_exactly_what_the_api_matrix_says(app, make_caller, figure):
    expected = matrix.api_read()
    rules = {f"{m} {r.rule}": r for r in app.url_map.iter_rules() for m in r.methods}
    mismatches, calls = [], 0
    for scope in matrix.api_scopes():
        caller = make_caller(scope, name=f"only {scope}") if scope != "cart:write" else None
        if caller is None:  # a customer-side scope: its client belongs to a company
            from tests import factories as f

            caller = make_caller(scope, company=f.company(), name=f"only {scope}")
        for operation, row in expected.items():
            method, _path = operation.split(" ", 1)
            url = matrix.sample_url(rules[operation])
            answer = caller.send(method, url, {}) if method != "GET" else caller.get(url)
            calls += 1
            denied = answer.status_code == 403
            if denied != (row[scope] == "deny"):
                mismatches.append((scope, operation, answer.status_code))
    figure(f"API scope matrix: {len(expected)} operations × {len(matrix.api_scopes())} scopes, "
           f"{calls} calls, mismatches {len(mismatches)}")
    assert not mismatches, mismatches
