"""Which storefront a host name gets (services/storefronts.choose), as a table."""

import pytest

from portal.models import StorefrontKind
from portal.services.storefronts import TRADE, Front, choose, normal_host

DIRECT = Front(2, "direct", StorefrontKind.CONSUMER, "Direct", ("direct.example.fr",), "fr",
               "FR", "EUR", True, "#7a1f1f", None, True)
CLOSED = Front(3, "crew", StorefrontKind.EMPLOYEE, "Crew", ("crew.example.fr",), "fr", "FR",
               "EUR", False, "#0b4f6c", None, False)
TRADE_NAMED = Front(1, "trade", StorefrontKind.TRADE, "Pro", ("pro.example.fr",), "fr", "FR",
                    "EUR", False, "#0b4f6c", None, True)


@pytest.mark.parametrize(("raw", "normal"), [
    ("Direct.Example.FR", "direct.example.fr"),
    ("direct.example.fr:8443", "direct.example.fr"),
    ("direct.example.fr.", "direct.example.fr"),
    ("[::1]:8000", "[::1]"),
    ("", ""),
])
def test_hosts_are_compared_lowercase_without_port_or_final_dot(raw, normal):
    assert normal_host(raw) == normal


@pytest.mark.parametrize(("host", "fronts", "chosen"), [
    # A single-site seller: the trade portal answers whatever host.
    ("anything.example", (TRADE,), "trade"),
    ("127.0.0.1:5000", (TRADE,), "trade"),
    # A consumer storefront takes its own host, the trade portal the rest.
    ("DIRECT.example.fr:443", (TRADE, DIRECT), "direct"),
    ("pro.example.fr", (TRADE, DIRECT), "trade"),
    # Once the trade portal names its hosts, an unknown host is nobody's.
    ("pro.example.fr", (TRADE_NAMED, DIRECT), "trade"),
    ("unknown.example", (TRADE_NAMED, DIRECT), None),
    # A closed storefront's host shows no other storefront in its place.
    ("crew.example.fr", (TRADE, DIRECT, CLOSED), None),
])
def test_the_host_chooses_the_storefront(host, fronts, chosen):
    front = choose(host, fronts)
    assert (front.code if front else None) == chosen
