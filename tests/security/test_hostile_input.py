"""Hostile input on every route: bad quantities, huge numbers, markup, control characters
and long text in every usual field, as four roles. No 5xx, and markup is never reflected.

A GET carries the value in every field as far as a request line goes: gunicorn refuses a
line over 4,094 bytes (its `limit_request_line`) before the app sees it, so a query string of
40 fields of 3,000 "é" (720 kB) never reaches a view; it is cut to the longest prefix of the
value that fits. Forms (the other methods) carry the whole value in every field.
"""

from urllib.parse import urlencode

import pytest
from gunicorn.config import Config

from tests.conftest import login
from tests.security import matrix

pytestmark = pytest.mark.parametrize("app", ["sqlite"], indirect=True)

MARKUP = '<script>alert(1)</script><b hx-get="/x">'
HOSTILE = ["-1", "1.5", "１２", "١٢", "1_000", "sNaN", "9" * 30, MARKUP, "\x00\x01\r\t",
           "é" * 3_000]
FIELDS = ["qty", "quantity", "q", "paste", "name", "email", "po_number", "notes", "place",
          "token", "requested_date", "step", "use", "list_id", "note", "comment", "action",
          "page", "cursor", "status", "brand", "category", "sku", "role", "unit_id",
          "order_limit", "monthly_budget", "min_total", "credit_limit", "carrier",
          "tracking_number", "reason", "lang", "next", "kind", "shared", "jobsite_id",
          "warehouse_id", "unit_price", "dir"]
LINE_LIMIT = Config().limit_request_line
IDS = {"order_id": 1, "list_id": 1, "line_id": 1, "product_id": 1, "request_id": 1,
       "user_id": 1, "unit_id": 1, "rule_id": 1, "company_id": 1, "job_id": 1}


def test_hostile_values_in_every_field_never_crash_or_reflect_markup(figure, app, world):
    tried, crashes, reflected = 0, [], []
    for user in (world.a.buyer, world.a.admin, world.staff, world.fulfilment):
        client = app.test_client()
        login(client, user)
        for rule in app.url_map.iter_rules():
            # /readyz reads no field, and its 503 here is its answer: the test schema is built
            # without migrations (tests/integration/test_operations.py covers it).
            if rule.endpoint in ("auth.logout", "static", "assets.bundle", "ops.readyz"):
                continue
            url = matrix.sample_url(rule, IDS)
            for value in HOSTILE:
                data = dict.fromkeys(FIELDS, value)
                for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                    get = method == "GET"
                    response = client.open(url, method=method, data=None if get else data,
                                           query_string=_fitting(url, value) if get else None)
                    body = response.get_data()  # bytes: invoices answer PDFs
                    response.close()  # streamed exports hold their request context open
                    tried += 1
                    if response.status_code >= 500:
                        crashes.append((user.role.value, method, url, value[:12]))
                    if MARKUP.encode() in body:
                        reflected.append((user.role.value, method, url))
    figure(f"hostile input: {tried} requests, 5xx {len(crashes)}, reflected markup "
           f"{len(reflected)}")
    assert not crashes, crashes[:10]
    assert not reflected, reflected[:10]


def _fitting(url: str, value: str) -> dict:
    """Every field holding the longest prefix of `value` whose GET request line gunicorn
    takes ("GET <url>?<query> HTTP/1.1")."""
    def line(size: int) -> int:
        return len(f"GET {url}?{urlencode(dict.fromkeys(FIELDS, value[:size]))} HTTP/1.1")

    low, high = 0, len(value)
    while low < high:  # the longest size whose line fits
        middle = (low + high + 1) // 2
        low, high = (middle, high) if line(middle) <= LINE_LIMIT else (low, middle - 1)
    return dict.fromkeys(FIELDS, value[:low])

