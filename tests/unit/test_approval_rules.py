"""Approval rule evaluation as tables: which steps an order needs, why, and who decides."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from portal.services.approvals.rules import (
    APPROVER,
    COMPANY_ADMIN,
    Directory,
    OrderFacts,
    RuleSpec,
    StepSpec,
    UnitBudget,
    ancestry,
    matching_reasons,
    month_start,
    ordering_chain,
    plan_steps,
    route,
    subtree,
)

# Company tree: division 1 > branch 2 > jobsites 3, 4; branch 5 (no division) > jobsite 6.
PARENTS = {1: None, 2: 1, 3: 2, 4: 2, 5: None, 6: 5}
BUYER = 100
UNIT_APPROVER = StepSpec(1, APPROVER)
ADMIN = StepSpec(2, COMPANY_ADMIN)


def facts(total=150_000, **kw) -> OrderFacts:
    kw.setdefault("requester_id", BUYER)
    kw.setdefault("order_limit_cents", 100_000)
    kw.setdefault("unit_chain", ordering_chain(3, 2, PARENTS))
    kw.setdefault("jobsite_id", 3)
    return OrderFacts(total_cents=total, **kw)


def rule(rule_id=1, *steps, **kw) -> RuleSpec:
    return RuleSpec(rule_id, kw.pop("position", rule_id), f"R{rule_id}",
                    steps=steps or (UNIT_APPROVER,), **kw)


@pytest.mark.parametrize("order_facts, spec, matches, codes", [
    # per-order limit
    (facts(150_000), rule(when_over_order_limit=True), True, ["order_limit"]),
    (facts(100_000), rule(when_over_order_limit=True), False, []),
    (facts(150_000, order_limit_cents=None), rule(when_over_order_limit=True), False, []),
    # order total over X
    (facts(500_001), rule(min_total_cents=500_000), True, ["total"]),
    (facts(500_000), rule(min_total_cents=500_000), False, []),
    # buyer's monthly budget, month-to-date spend included
    (facts(60_000, monthly_budget_cents=200_000, month_spent_cents=150_000),
     rule(when_over_user_budget=True), True, ["user_budget"]),
    (facts(50_000, monthly_budget_cents=200_000, month_spent_cents=150_000),
     rule(when_over_user_budget=True), False, []),
    (facts(60_000, monthly_budget_cents=None, month_spent_cents=999_999),
     rule(when_over_user_budget=True), False, []),
    # unit budget: any budgeted unit of the chain
    (facts(60_000, unit_budgets=(UnitBudget(1, "Div", 1_000_000, 950_000),)),
     rule(when_over_unit_budget=True), True, ["unit_budget"]),
    (facts(60_000, unit_budgets=(UnitBudget(1, "Div", 1_000_000, 900_000),)),
     rule(when_over_unit_budget=True), False, []),
    (facts(60_000, unit_budgets=()), rule(when_over_unit_budget=True), False, []),
    # category (the facts carry the lines' categories and their ancestors)
    (facts(1_000, category_ids=frozenset({7, 8})), rule(category_id=7), True, ["category"]),
    (facts(1_000, category_ids=frozenset({8})), rule(category_id=7), False, []),
    # jobsite
    (facts(1_000), rule(jobsite_id=3), True, ["jobsite"]),
    (facts(1_000, jobsite_id=4, unit_chain=ordering_chain(4, 2, PARENTS)), rule(jobsite_id=3),
     False, []),
    # AND: every condition must hold
    (facts(150_000, category_ids=frozenset({7})),
     rule(when_over_order_limit=True, category_id=7), True, ["order_limit", "category"]),
    (facts(150_000, category_ids=frozenset()),
     rule(when_over_order_limit=True, category_id=7), False, []),
    # no condition: every order in scope
    (facts(1), rule(), True, ["rule"]),
    # inactive rules never apply
    (facts(150_000), rule(when_over_order_limit=True, active=False), False, []),
])
def test_conditions_combine_with_and_and_give_their_reasons(order_facts, spec, matches, codes):
    reasons = matching_reasons(spec, order_facts)
    assert (reasons is not None) == matches
    assert [r.code for r in reasons or ()] == codes


@pytest.mark.parametrize("rule_unit, jobsite, buyer_unit, applies", [
    (None, 3, 2, True),   # company-wide
    (1, 3, 2, True),      # the division above the jobsite: inherited downward
    (2, 3, 2, True),      # the branch
    (3, 3, 2, True),      # the jobsite itself
    (4, 3, 2, False),     # a sibling jobsite
    (5, 3, 2, False),     # another branch
    (5, 6, 2, True),      # ordering to a jobsite under branch 5
    (2, None, 2, True),   # no jobsite: the buyer's unit chain
    (2, None, None, False),
])
def test_a_rule_on_a_unit_applies_to_the_units_below_it(rule_unit, jobsite, buyer_unit, applies):
    order_facts = facts(1_000, jobsite_id=jobsite,
                        unit_chain=ordering_chain(jobsite, buyer_unit, PARENTS))
    assert (matching_reasons(rule(unit_id=rule_unit), order_facts) is not None) == applies


def test_step_thresholds_skip_a_step_below_its_amount():
    spec = rule(1, UNIT_APPROVER, StepSpec(2, COMPANY_ADMIN, min_total_cents=500_000),
                when_over_order_limit=True)
    assert [s.approver_role for s in plan_steps(facts(150_000), [spec])] == [APPROVER]
    steps = plan_steps(facts(600_000), [spec])
    assert [s.approver_role for s in steps] == [APPROVER, COMPANY_ADMIN]
    assert [r.code for r in steps[1].reasons] == ["order_limit", "step_over"]


def test_steps_follow_rule_position_then_step_position_and_the_same_approver_is_asked_once():
    late = rule(1, StepSpec(1, COMPANY_ADMIN), position=9, min_total_cents=100)
    early = rule(2, StepSpec(2, APPROVER), StepSpec(1, None, approver_user_id=55), position=1,
                 when_over_order_limit=True)
    again = rule(3, StepSpec(1, APPROVER), position=5, jobsite_id=3)
    steps = plan_steps(facts(150_000), [late, early, again])
    assert [(s.approver_role, s.approver_user_id) for s in steps] == [
        (None, 55), (APPROVER, None), (COMPANY_ADMIN, None)]
    # The merged step keeps the reasons of both rules.
    assert [r.code for r in steps[1].reasons] == ["order_limit", "jobsite"]


DIRECTORY = Directory(approvers_by_unit={2: (20,), 1: (10,), None: (9,)}, admins=(1, 2),
                      nameable=frozenset({1, 2, 9, 10, 20, 55}))


@pytest.mark.parametrize("requester, chain, directory, expected", [
    # the nearest unit upward with an approver
    (BUYER, (3, 2, 1), DIRECTORY, (APPROVER, 2, None, (20,))),
    (BUYER, (6, 5), DIRECTORY, (APPROVER, None, None, (9,))),  # company-level approver
    # the requester is never their own approver: the next one up is asked
    (20, (3, 2, 1), DIRECTORY, (APPROVER, 1, None, (10,))),
    # nobody else in the ancestry: the company admins other than the requester
    (BUYER, (6, 5), Directory(admins=(1, 2)), (COMPANY_ADMIN, None, None, (1, 2))),
    (1, (6, 5), Directory(admins=(1, 2)), (COMPANY_ADMIN, None, None, (2,))),
    (1, (6, 5), Directory(admins=(1,)), (COMPANY_ADMIN, None, None, ())),
])
def test_an_approver_role_resolves_to_the_nearest_unit_upward(requester, chain, directory,
                                                               expected):
    order_facts = facts(150_000, requester_id=requester, unit_chain=chain)
    steps = route(order_facts, [rule(when_over_order_limit=True)], directory)
    target = steps[0].target
    assert (target.role, target.unit_id, target.user_id, target.user_ids) == expected


@pytest.mark.parametrize("named, requester, expected_user, expected_admins", [
    (55, BUYER, 55, None),
    (55, 55, None, (1, 2)),     # named requester: falls back to the admins
    (77, BUYER, None, (1, 2)),  # named but disabled or gone
])
def test_a_named_approver_is_asked_unless_they_are_the_requester(named, requester,
                                                                  expected_user, expected_admins):
    spec = rule(1, StepSpec(1, None, approver_user_id=named))
    target = route(facts(1_000, requester_id=requester), [spec], DIRECTORY)[0].target
    assert target.user_id == expected_user
    if expected_admins:
        assert target.role == COMPANY_ADMIN and target.user_ids == expected_admins


def test_steps_that_resolve_to_the_same_people_are_merged_and_numbered():
    # The buyer's chain has no approver: the approver step falls back to the admins, which
    # the admin step asks too: one step.
    spec = rule(1, UNIT_APPROVER, ADMIN, when_over_order_limit=True)
    steps = route(facts(150_000, unit_chain=(6, 5)), [spec], Directory(admins=(1,)))
    assert [(s.step, s.target.role) for s in steps] == [(1, COMPANY_ADMIN)]
    both = route(facts(150_000), [spec], DIRECTORY)
    assert [(s.step, s.target.role, s.target.unit_id) for s in both] == [
        (1, APPROVER, 2), (2, COMPANY_ADMIN, None)]


def test_no_matching_rule_means_no_step():
    assert route(facts(50_000), [rule(when_over_order_limit=True)], DIRECTORY) == []


@pytest.mark.parametrize("now, expected", [
    (datetime(2025, 3, 15, 12, tzinfo=UTC), datetime(2025, 2, 28, 23, tzinfo=UTC)),
    (datetime(2025, 7, 1, 5, tzinfo=UTC), datetime(2025, 6, 30, 22, tzinfo=UTC)),
    # 31 Jan 23:30 UTC is already 1 Feb in Paris
    (datetime(2025, 1, 31, 23, 30, tzinfo=UTC), datetime(2025, 1, 31, 23, tzinfo=UTC)),
])
def test_month_to_date_starts_on_the_first_of_the_month_in_paris(now, expected):
    assert month_start(now, ZoneInfo("Europe/Paris")) == expected


def test_unit_helpers_walk_the_tree_both_ways():
    assert ancestry(3, PARENTS) == (3, 2, 1)
    assert ancestry(None, PARENTS) == ()
    assert ancestry(99, PARENTS) == ()
    assert ordering_chain(6, 2, PARENTS) == (6, 5, 2, 1)
    assert subtree(1, PARENTS) == {1, 2, 3, 4}
    assert ancestry(1, {1: 2, 2: 1}) == (1, 2)  # a loop does not hang
