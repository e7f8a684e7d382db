"""The bottom bar follows the role: every tab it shows opens, none leads to "not allowed"."""

import re

import pytest

from portal.extensions import db
from portal.models import CompanyStatus, Role
from tests import factories as f
from tests.conftest import login

NAV = re.compile(r'<nav class="bottom-nav"[^>]*>(.*?)</nav>', re.S)
HREF = re.compile(r'href="([^"]+)"')


def bottom_bar(client) -> list[str]:
    page = client.get("/").get_data(as_text=True)
    found = NAV.search(page)
    assert found, "no bottom bar"
    return HREF.findall(found.group(1))


def pending_buyer():
    company = f.company("Petit Chantier", status=CompanyStatus.PENDING)
    person = f.user(company, Role.BUYER, email="pending@test.example")
    db.session.commit()
    return person


PEOPLE = {
    "company_admin": lambda w: w.a.admin,
    "approver": lambda w: w.a.approver,
    "buyer": lambda w: w.a.buyer,
    "viewer": lambda w: w.a.viewer,
    "pending buyer": lambda w: pending_buyer(),
    "staff_admin": lambda w: w.staff,
    "sales_rep": lambda w: w.rep,
    "fulfilment": lambda w: w.fulfilment,
}
EXPECTED = {
    "company_admin": ["/catalog/", "/quick-order/", "/orders/", "/approvals/", "/cart/"],
    "approver": ["/catalog/", "/quick-order/", "/orders/", "/approvals/", "/cart/"],
    "buyer": ["/catalog/", "/quick-order/", "/lists/", "/orders/", "/cart/"],
    "viewer": ["/catalog/", "/lists/", "/orders/"],
    "pending buyer": ["/catalog/", "/lists/", "/orders/"],
    "staff_admin": ["/", "/staff/", "/staff/customers", "/staff/fulfilment/", "/catalog/"],
    "sales_rep": ["/", "/staff/", "/staff/customers", "/catalog/"],
    "fulfilment": ["/", "/staff/", "/staff/fulfilment/", "/catalog/"],
}


@pytest.mark.parametrize("who", list(PEOPLE))
def test_every_tab_of_the_bottom_bar_opens_for_each_role(client, world, who, figure):
    login(client, PEOPLE[who](world))
    links = bottom_bar(client)
    assert links == EXPECTED[who]
    answers = {link: client.get(link).status_code for link in links}
    assert answers == dict.fromkeys(links, 200)
    figure(f"bottom bar, {who}: {len(links)} tabs, non-200 answers 0")


def test_the_tab_of_the_page_is_marked_current(client, world):
    login(client, world.rep)
    page = client.get("/staff/customers").get_data(as_text=True)
    current = re.findall(r'href="([^"]+)" aria-current="page"', NAV.search(page).group(1))
    assert current == ["/staff/customers"]


BACK_OFFICE_LINKS = {
    "staff_admin": ["/staff/customers", "/staff/applications", "/staff/credit",
                    "/staff/fulfilment/", "/staff/catalog/", "/staff/imports/", "/staff/jobs/",
                    "/staff/api-clients", "/staff/storefronts"],
    "sales_rep": ["/staff/customers"],
    "fulfilment": ["/staff/fulfilment/"],
}


@pytest.mark.parametrize("who", list(BACK_OFFICE_LINKS))
def test_the_back_office_page_links_to_every_tool_the_person_may_open(client, world, who):
    login(client, PEOPLE[who](world))
    page = client.get("/staff/").get_data(as_text=True)
    links = HREF.findall(re.search(r'<nav class="staff-links"[^>]*>(.*?)</nav>', page,
                                   re.S).group(1))
    assert links == BACK_OFFICE_LINKS[who]
    assert {link: client.get(link).status_code for link in links} == dict.fromkeys(links, 200)


def test_deciders_reach_their_lists_from_the_catalog_page(client, world):
    login(client, world.a.approver)
    assert "/lists/" not in bottom_bar(client)
    assert 'href="/lists/"' in client.get("/catalog/").get_data(as_text=True)
