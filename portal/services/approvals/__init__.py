"""Approvals: which orders need whose approval, and the decisions on them.

- `rules`: the approval rules as plain values and the pure routing of an order through them
  (who approves, in which steps, and why); `routing`: applies them when an order is placed
  (`route_new_order`), notifies approvers and sends reminders.
- `gaps`: an order with nobody left to approve it; `inbox`: what a decider sees;
  `decisions`: approve, reject, trim and approve, bulk approve; `trim`: the trim's pure rules.
- `links`: the approval email's one-decision link (signed, expiring, bound to the approver,
  the request, the order's content and the approver's sessions), checked and used.
- `words`: the reasons and people in the reader's language; `buyer_limits`: a buyer's limits
  as shown to them; `rule_admin`: the company admin's rule editing; `rule_summaries`: the
  rules in words for their list.

Front door: `route_new_order`, `needs_for_cart`, the inbox and decision use cases, rule admin.
"""

from portal.services.approvals.buyer_limits import limits_of
from portal.services.approvals.decisions import (
    Conflict,
    approve_as_shown,
    bulk_approve,
    reject,
    trim_and_approve,
)
from portal.services.approvals.gaps import NobodyToApprove
from portal.services.approvals.inbox import (
    detail_facts,
    find_for_decider,
    inbox,
    inbox_count,
    trim_lines,
)
from portal.services.approvals.links import (
    LinkRefused,
    approve_by_link,
    check_link,
    refusal_text,
    reject_by_link,
)
from portal.services.approvals.notify import send_reminders
from portal.services.approvals.routing import needs_for_cart, route_new_order
from portal.services.approvals.rule_admin import (
    RuleData,
    StepData,
    category_choices,
    company_rules,
    nameable_approvers,
    save_rule,
    set_rule_active,
)
from portal.services.approvals.rule_summaries import rule_summaries
from portal.services.approvals.rules import SPEND_STATUSES, year_start
from portal.services.approvals.trim import parse_trim_quantity
from portal.services.approvals.words import (
    reasons_from_data,
    request_reason,
    role_label,
    short_money,
    who_text,
)

__all__ = [
    "SPEND_STATUSES", "Conflict", "LinkRefused", "NobodyToApprove", "RuleData", "StepData",
    "approve_as_shown", "year_start",
    "approve_by_link", "bulk_approve", "category_choices", "check_link", "company_rules",
    "detail_facts", "find_for_decider", "inbox", "inbox_count", "limits_of",
    "nameable_approvers", "needs_for_cart", "parse_trim_quantity", "reasons_from_data",
    "refusal_text", "reject", "reject_by_link", "request_reason", "role_label",
    "route_new_order", "rule_summaries", "save_rule", "send_reminders", "set_rule_active",
    "short_money", "trim_and_approve", "trim_lines", "who_text",
]
