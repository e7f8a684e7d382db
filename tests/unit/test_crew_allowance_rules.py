"""A crew member's yearly allowance: which orders wait for their site manager, and why."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from portal.services.approvals.rules import (
    Directory,
    OrderFacts,
    RuleSpec,
    StepSpec,
    allowance_reason,
    route,
    year_start,
)

PARIS = ZoneInfo("Europe/Paris")


@pytest.mark.parametrize(("allowance", "spent", "total", "waits"), [
    (None, 0, 1_000_000, False),  # no allowance: nothing to exceed
    (25_000, 0, 8_990, False),  # boots within it
    (25_000, 20_000, 5_000, False),  # exactly reaching it
    (25_000, 20_000, 5_001, True),  # one cent beyond
    (25_000, 8_990, 19_900, True),  # the jacket after the boots
    (25_000, 30_000, 100, True),  # already beyond (an approved order)
    (0, 0, 1, True),  # an allowance of nothing: every order waits
])
def test_an_order_past_the_yearly_allowance_waits(allowance, spent, total, waits):
    facts = OrderFacts(total, requester_id=1, yearly_allowance_cents=allowance,
                       year_spent_cents=spent)
    reason = allowance_reason(facts)
    assert (reason is not None) is waits
    if waits:
        assert (reason.code, reason.amount_cents, reason.spent_cents) == (
            "allowance", allowance, spent)


def test_the_site_manager_of_the_jobsite_decides_without_any_rule():
    directory = Directory(approvers_by_unit={20: (7,), 10: (8,)}, admins=(9,),
                          nameable=frozenset({7, 8, 9}))
    facts = OrderFacts(19_900, requester_id=1, unit_chain=(20, 10),
                       yearly_allowance_cents=25_000, year_spent_cents=8_990)
    [step] = route(facts, [], directory)
    assert (step.step, step.target.role, step.target.unit_id, step.target.user_ids,
            step.rule_id) == (1, "approver", 20, (7,), None)
    assert [r.code for r in step.reasons] == ["allowance"]


def test_a_rule_asking_the_same_approver_adds_its_reason_to_the_one_step():
    directory = Directory(approvers_by_unit={10: (8,)}, nameable=frozenset({8}))
    rule = RuleSpec(3, min_total_cents=10_000, steps=(StepSpec(1, "approver"),))
    facts = OrderFacts(19_900, requester_id=1, unit_chain=(10,),
                       yearly_allowance_cents=25_000, year_spent_cents=8_990)
    [step] = route(facts, [rule], directory)
    assert [r.code for r in step.reasons] == ["allowance", "total"]


def test_nobody_else_in_the_unit_falls_back_to_the_company_admins():
    directory = Directory(approvers_by_unit={}, admins=(9,), nameable=frozenset({9}))
    facts = OrderFacts(5_000, requester_id=1, unit_chain=(10,), yearly_allowance_cents=0)
    [step] = route(facts, [], directory)
    assert (step.target.role, step.target.user_ids) == ("company_admin", (9,))


@pytest.mark.parametrize(("now", "expected"), [
    (datetime(2026, 6, 15, 12, tzinfo=UTC), datetime(2025, 12, 31, 23, tzinfo=UTC)),
    # 31 December 23:30 UTC is already New Year's Day in Paris.
    (datetime(2026, 12, 31, 23, 30, tzinfo=UTC), datetime(2026, 12, 31, 23, tzinfo=UTC)),
    (datetime(2026, 1, 1, 0, 30, tzinfo=UTC), datetime(2025, 12, 31, 23, tzinfo=UTC)),
])
def test_the_year_starts_on_the_first_of_january_in_the_sellers_time_zone(now, expected):
    assert year_start(now, PARIS) == expected
