"""Rows of the approval rules and steps of each company, and of pending account applications."""

from __future__ import annotations

from bench.accounts_data import Ids, People


def approval_rules(w, ids: Ids, people: People) -> None:
    rules, steps = [], []
    for c in people.companies:
        if not c.orders_allowed:
            continue
        c.limit_rule = ids("approval_rules")
        rules.append((c.limit_rule, c.id, None, "Au-delà de la limite par commande",
                      w.flag(True), 0, None, w.flag(True), w.flag(False), w.flag(False), None,
                      None))
        steps.append((ids("approval_steps"), c.limit_rule, 0, "approver", None, None))
        if c.id == 1:
            big_rule = ids("approval_rules")
            rules.append((big_rule, c.id, None, "Grosses commandes", w.flag(True), 1, 500_000,
                          w.flag(False), w.flag(False), w.flag(False), None, None))
            steps.append((ids("approval_steps"), big_rule, 0, "approver", None, None))
            steps.append((ids("approval_steps"), big_rule, 1, "company_admin", None, 500_000))
    w.write("approval_rules", ("id", "company_id", "unit_id", "name", "active", "position",
                               "min_total_cents", "when_over_order_limit",
                               "when_over_user_budget", "when_over_unit_budget", "category_id",
                               "jobsite_id"), rules)
    w.write("approval_steps", ("id", "rule_id", "position", "approver_role", "approver_user_id",
                               "min_total_cents"), steps)


def applications(w, rng, now, ids: Ids, people: People) -> None:
    rows = []
    for c in people.companies:
        if c.status not in ("pending", "rejected"):
            continue
        decided = c.status == "rejected"
        rows.append((ids("account_applications"), c.id, "Contact " + c.name,
                     f"contact{c.id}@apply.bench.test", "", "Nous souhaitons ouvrir un compte.",
                     "rejected" if decided else "pending",
                     people.staff_admin if decided else None, w.ts(now) if decided else None,
                     "Hors zone de livraison." if decided else "", w.ts(now)))
    w.write("account_applications", ("id", "company_id", "contact_name", "contact_email",
                                     "contact_phone", "message", "status", "decided_by_id",
                                     "decided_at", "reason", "created_at"), rows)
