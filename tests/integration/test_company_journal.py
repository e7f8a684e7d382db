"""The company admin's journal: decisions, trims and user changes, paged, own company only."""

import re

from portal.extensions import db
from portal.services.accounts.audit import record
from portal.services.accounts.journal import PAGE_SIZE
from tests.conftest import login

EN = {"Accept-Language": "en"}


def _user_change(admin, user, limit):
    record(admin, "user.update", user, {
        "before": {"name": user.name, "order_limit_cents": limit - 100},
        "after": {"name": user.name, "order_limit_cents": limit}})


def test_the_admin_reads_decisions_and_user_changes_newest_first_page_by_page(client, world):
    a = world.a
    record(a.approver, "approval.trim", a.approver, {
        "order": "CMD-2026-000042", "step": 1, "comment": "Trop de sacs",
        "changes": [{"sku": "CIM-35", "from": 5, "to": 2}, {"sku": "VIS-4", "from": 6, "to": 5}]})
    record(a.approver, "approval.reject", a.approver, {"order": "CMD-2026-000043", "step": 1,
                                                       "comment": "Hors budget"})
    for n in range(PAGE_SIZE + 3):
        _user_change(a.admin, a.buyer, 10_000 + n)
    record(world.b.admin, "user.disable", world.b.buyer, {"email": world.b.buyer.email})
    db.session.commit()

    login(client, a.admin)
    first = client.get("/company/journal", headers=EN)
    assert first.status_code == 200
    page = first.get_data(as_text=True)
    assert page.count("per-order limit") == PAGE_SIZE
    assert "CMD-2026-000042" not in page and world.b.buyer.email not in page
    older = re.search(r'href="(/company/journal\?before=\d+)"', page).group(1)
    second = client.get(older, headers=EN).get_data(as_text=True)
    assert second.count("per-order limit") == 3
    assert "Approved order CMD-2026-000042 with changes: CIM-35 5 → 2, VIS-4 6 → 5." in second
    assert "Rejected order CMD-2026-000043" in second and "Hors budget" in second
    assert a.approver.name in second
    assert world.b.buyer.email not in second and 'href="/company/journal?before' not in second


def test_only_the_company_admin_opens_the_journal(client, world):
    for user in (world.a.approver, world.a.buyer, world.a.viewer):
        login(client, user)
        assert client.get("/company/journal").status_code in (403, 404)
        client.post("/logout")
