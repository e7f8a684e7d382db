"""The order state machine after submit: which action, from which status, by which role."""

from datetime import date

import pytest

from portal.models import OrderStatus as S
from portal.models import Role
from portal.services import DomainError
from portal.services.fulfilment.rules import (
    TRANSITIONS,
    Action,
    LineState,
    Verdict,
    allowed_actions,
    plan_backorder,
    plan_shipment,
    proposed_quantities,
    shipped_quantity,
    status_after_shipment,
    verdict,
)

F, A, R, B = Role.FULFILMENT, Role.STAFF_ADMIN, Role.SALES_REP, Role.BUYER
OK, NO, FORBID = Verdict.ALLOWED, Verdict.NOT_POSSIBLE, Verdict.FORBIDDEN


@pytest.mark.parametrize(("action", "status", "role", "expected"), [
    (Action.CONFIRM, S.SUBMITTED, F, OK),
    (Action.CONFIRM, S.SUBMITTED, A, OK),
    (Action.CONFIRM, S.SUBMITTED, R, FORBID),
    (Action.CONFIRM, S.SUBMITTED, B, FORBID),
    (Action.CONFIRM, S.CONFIRMED, F, NO),
    (Action.CONFIRM, S.PENDING_APPROVAL, A, NO),
    (Action.CONFIRM, S.CANCELLED, A, NO),
    (Action.SHIP, S.CONFIRMED, F, OK),
    (Action.SHIP, S.PARTIALLY_SHIPPED, F, OK),
    (Action.SHIP, S.SUBMITTED, F, NO),
    (Action.SHIP, S.SHIPPED, A, NO),
    (Action.SHIP, S.CONFIRMED, R, FORBID),
    (Action.BACKORDER, S.CONFIRMED, F, OK),
    (Action.BACKORDER, S.PARTIALLY_SHIPPED, A, OK),
    (Action.BACKORDER, S.SUBMITTED, F, NO),
    (Action.BACKORDER, S.SHIPPED, F, NO),
    (Action.DELIVER, S.SHIPPED, F, OK),
    (Action.DELIVER, S.SHIPPED, A, OK),
    (Action.DELIVER, S.PARTIALLY_SHIPPED, F, NO),
    (Action.DELIVER, S.DELIVERED, A, NO),
    (Action.CANCEL, S.PENDING_APPROVAL, A, OK),
    (Action.CANCEL, S.PENDING_APPROVAL, F, FORBID),
    (Action.CANCEL, S.SUBMITTED, F, OK),
    (Action.CANCEL, S.CONFIRMED, F, OK),
    (Action.CANCEL, S.CONFIRMED, A, OK),
    (Action.CANCEL, S.PARTIALLY_SHIPPED, A, NO),
    (Action.CANCEL, S.SHIPPED, A, NO),
    (Action.CANCEL, S.DELIVERED, A, NO),
    (Action.CANCEL, S.CANCELLED, A, NO),
    (Action.CANCEL, S.REJECTED, A, NO),
    (Action.CANCEL, S.SUBMITTED, R, FORBID),
])
def test_each_transition_has_its_statuses_and_roles(action, status, role, expected):
    assert verdict(action, status, role) is expected


def test_no_customer_role_and_no_sales_rep_may_make_any_transition():
    for roles in TRANSITIONS.values():
        assert roles <= {Role.FULFILMENT, Role.STAFF_ADMIN}


def test_nothing_leaves_a_final_status():
    for final in (S.DELIVERED, S.CANCELLED, S.REJECTED):
        assert allowed_actions(final, Role.STAFF_ADMIN) == frozenset()


@pytest.mark.parametrize(("status", "role", "expected"), [
    (S.SUBMITTED, F, {Action.CONFIRM, Action.CANCEL}),
    (S.CONFIRMED, F, {Action.SHIP, Action.BACKORDER, Action.CANCEL}),
    (S.PARTIALLY_SHIPPED, A, {Action.SHIP, Action.BACKORDER}),
    (S.SHIPPED, F, {Action.DELIVER}),
    (S.PENDING_APPROVAL, F, set()),
    (S.PENDING_APPROVAL, A, {Action.CANCEL}),
])
def test_the_order_page_offers_only_the_allowed_actions(status, role, expected):
    assert allowed_actions(status, role) == expected


@pytest.mark.parametrize(("remaining", "expected"), [
    ([0, 0], S.SHIPPED),
    ([0], S.SHIPPED),
    ([1, 0], S.PARTIALLY_SHIPPED),
    ([0, 5], S.PARTIALLY_SHIPPED),
])
def test_an_order_is_shipped_once_nothing_is_left(remaining, expected):
    assert status_after_shipment(remaining) is expected


@pytest.mark.parametrize(("raw", "remaining", "expected"), [
    ("0", 5, 0), ("", 5, 0), ("  ", 5, 0), ("000", 5, 0), ("5", 5, 5), (" 3 ", 5, 3),
    ("6", 5, DomainError), ("-1", 5, DomainError), ("1.5", 5, DomainError),
    ("١", 5, DomainError), ("１", 5, DomainError), ("1_0", 50, DomainError),
    ("1", 0, DomainError), ("0", 0, 0),
])
def test_a_shipped_quantity_is_digits_between_zero_and_what_is_left(raw, remaining, expected):
    if expected is DomainError:
        with pytest.raises(DomainError):
            shipped_quantity(raw, remaining)
    else:
        assert shipped_quantity(raw, remaining) == expected


def test_a_shipment_plan_ships_typed_lines_and_skips_zeros():
    lines = [LineState(1, 10, 0), LineState(2, 4, 4), LineState(3, 6, 2)]
    plan = plan_shipment(lines, {1: "4", 2: "0", 3: "4"})
    assert plan.ok
    assert plan.quantities == ((1, 4), (3, 4))
    assert plan.next_status is S.PARTIALLY_SHIPPED


def test_a_shipment_of_everything_left_makes_the_order_shipped():
    lines = [LineState(1, 10, 6), LineState(2, 4, 4)]
    plan = plan_shipment(lines, {1: "4"})
    assert plan.next_status is S.SHIPPED


def test_a_shipment_with_only_zeros_is_refused_as_a_whole():
    plan = plan_shipment([LineState(1, 10, 0)], {1: "0"})
    assert not plan.ok and plan.problem and not plan.quantities


def test_a_shipment_over_the_remaining_quantity_names_the_line():
    plan = plan_shipment([LineState(1, 10, 0), LineState(2, 3, 0)], {1: "2", 2: "4"})
    assert not plan.ok
    assert set(plan.errors) == {2}


TODAY = date(2025, 3, 10)


@pytest.mark.parametrize(("remaining", "qty", "when", "expected"), [
    (5, "5", "2025-03-20", (5, date(2025, 3, 20))),
    (5, "2", "2025-03-10", (2, date(2025, 3, 10))),
    (5, "0", "", (0, None)),
    (5, "6", "2025-03-20", DomainError),
    (5, "2", "", DomainError),
    (5, "2", "20/03/2025", DomainError),
    (5, "2", "2025-03-09", DomainError),
    (5, "2", "2026-04-01", DomainError),
    (0, "1", "2025-03-20", DomainError),
])
def test_a_backorder_is_part_of_what_is_left_with_a_date_ahead(remaining, qty, when, expected):
    if expected is DomainError:
        with pytest.raises(DomainError):
            plan_backorder(remaining, qty, when, TODAY)
    else:
        found = plan_backorder(remaining, qty, when, TODAY)
        assert (found.quantity, found.expected) == expected


@pytest.mark.parametrize(("held", "expected"), [
    ({}, {1: 10, 2: 4, 3: 0}),                           # nothing reserved: what is left
    ({1: [(7, 6)], 2: [(7, 4)]}, {1: 6, 2: 4, 3: 0}),   # what the order holds, at most left
    ({1: [(7, 6), (8, 9)]}, {1: 10, 2: 0, 3: 0}),       # held in two places, capped at left
])
def test_the_shipment_form_proposes_what_the_order_holds(held, expected):
    lines = [LineState(1, 12, 2), LineState(2, 4, 0), LineState(3, 5, 5)]
    assert proposed_quantities(lines, held) == expected
