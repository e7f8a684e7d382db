"""Who may decide which step, what waits for whom, and trimming an order while approving."""

import pytest

from portal.services.approvals.rules import APPROVER, COMPANY_ADMIN, may_decide, waiting_for
from portal.services.approvals.trim import TrimLine, parse_trim_quantity, plan_trim
from portal.services.selling import scaled_tax

PARENTS = {1: None, 2: 1, 3: 2, 5: None}
REQUESTER = 100


@pytest.mark.parametrize("user, step, allowed", [
    # approvers decide for their unit and the units below it
    ((10, APPROVER, 2), (APPROVER, 2, None), True),
    ((10, APPROVER, 1), (APPROVER, 3, None), True),
    ((10, APPROVER, 3), (APPROVER, 2, None), False),
    ((10, APPROVER, 5), (APPROVER, 2, None), False),
    ((10, APPROVER, None), (APPROVER, 2, None), True),  # company-wide approver
    # a named step belongs to its user (and to the company admins)
    ((10, APPROVER, 2), (None, None, 11), False),
    ((11, APPROVER, 5), (None, None, 11), True),
    # approvers do not decide company-admin steps; admins decide everything
    ((10, APPROVER, None), (COMPANY_ADMIN, None, None), False),
    ((1, COMPANY_ADMIN, None), (APPROVER, 2, None), True),
    ((1, COMPANY_ADMIN, None), (None, None, 11), True),
    # buyers and viewers never decide
    ((12, "buyer", 2), (APPROVER, 2, None), False),
    ((13, "viewer", None), (COMPANY_ADMIN, None, None), False),
    # nobody decides on their own order, admins included
    ((REQUESTER, COMPANY_ADMIN, None), (COMPANY_ADMIN, None, None), False),
    ((REQUESTER, APPROVER, 2), (APPROVER, 2, None), False),
])
def test_who_may_decide_a_step(user, step, allowed):
    user_id, role, unit = user
    approver_role, approver_unit, approver_user = step
    assert may_decide(user_id=user_id, user_role=role, user_unit_id=unit,
                      requester_id=REQUESTER, approver_role=approver_role,
                      approver_unit_id=approver_unit, approver_user_id=approver_user,
                      parents=PARENTS) is allowed


@pytest.mark.parametrize("user, step, shown", [
    ((10, APPROVER, 1), (APPROVER, 3, None), True),
    ((10, APPROVER, 3), (APPROVER, 2, None), False),
    ((1, COMPANY_ADMIN, None), (COMPANY_ADMIN, None, None), True),
    # an admin may decide an approver's step but it is not in the admin's inbox
    ((1, COMPANY_ADMIN, None), (APPROVER, 2, None), False),
    ((11, APPROVER, 5), (None, None, 11), True),
])
def test_the_inbox_shows_the_steps_resolved_to_me(user, step, shown):
    user_id, role, unit = user
    approver_role, approver_unit, approver_user = step
    assert waiting_for(user_id=user_id, user_role=role, user_unit_id=unit,
                       approver_role=approver_role, approver_unit_id=approver_unit,
                       approver_user_id=approver_user, parents=PARENTS) is shown


@pytest.mark.parametrize("raw, expected", [
    ("6", 6), (" 12 ", 12), ("0", 0), ("", None), ("-1", None), ("1.5", None),
    ("１２", None), ("١٢", None), ("1_000", None), ("1234567", None), (None, None),
])
def test_trim_quantities_are_ascii_digits_and_zero_removes(raw, expected):
    assert parse_trim_quantity(raw) == expected


LINES = [TrimLine(1, 10, 1), TrimLine(2, 24, 12)]


@pytest.mark.parametrize("requested, changes, error, line", [
    ({1: 6}, [(1, 10, 6)], None, None),
    ({1: 0}, [(1, 10, 0)], None, None),
    ({1: 6, 2: 12}, [(1, 10, 6), (2, 24, 12)], None, None),
    ({1: 10}, [], "unchanged", None),
    ({}, [], "unchanged", None),
    ({1: 11}, [], "more", 1),
    ({1: 6, 2: 6}, [], "multiple", 2),
    ({1: 0, 2: 0}, [], "empty", None),
    ({99: 1}, [], "unknown", 99),
])
def test_an_approver_can_only_lower_quantities_by_selling_units(requested, changes, error, line):
    found, problem = plan_trim(LINES, requested)
    assert (problem.code if problem else None) == error
    assert (problem.line_id if problem else None) == line
    assert [(c.line_id, c.old, c.new) for c in found] == changes


@pytest.mark.parametrize("old_subtotal, old_tax, new_subtotal, expected", [
    (10_000, 2_000, 6_000, 1_200),
    (10_000, 0, 6_000, 0),
    (0, 0, 0, 0),
    (3, 1, 2, 1),  # 0.67 rounds to 1
    (3, 1, 1, 0),  # 0.33 rounds to 0
])
def test_tax_follows_the_trimmed_subtotal(old_subtotal, old_tax, new_subtotal, expected):
    assert scaled_tax(old_subtotal, old_tax, new_subtotal) == expected
