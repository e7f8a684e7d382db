"""The rules of a claim: how many units of a line may still be reported, until when, and
what a typed report must be. Pure functions, with the clock as a parameter."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from portal.models import ClaimReason
from portal.services import DomainError
from portal.services.claims.rules import Delivered, check_report, line_claims
from portal.services.fulfilment.proof import delivered_at, receiver

NOW = datetime(2026, 3, 20, 9, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def words():
    """Refusals are put into words in the request's language."""
    from portal import create_app
    from tests.conftest import base_config

    app = create_app(base_config(SQLALCHEMY_DATABASE_URI="sqlite://"))
    with app.test_request_context():
        yield
DAY = timedelta(days=1)


@pytest.mark.parametrize(("deliveries", "claimed", "left", "why"), [
    ([], 0, 0, "nothing delivered yet"),
    ([(10, 2)], 0, 10, "all delivered two days ago"),
    ([(10, 2)], 3, 7, "three already reported"),
    ([(10, 2)], 10, 0, "everything reported"),
    ([(10, 14)], 0, 0, "the window of 14 days closed on the minute"),
    ([(10, 13.9)], 0, 10, "still inside the window"),
    ([(6, 20), (4, 1)], 0, 4, "only the recent shipment's units"),
    ([(6, 20), (4, 1)], 5, 4, "old claims count against the old units first"),
    ([(6, 20), (4, 1)], 8, 2, "never more than delivered minus reported"),
    ([(10, 3), (2, 1)], 2, 10, "a replacement delivered again may be reported again"),
])
def test_what_a_line_may_still_report(deliveries, claimed, left, why):
    found = line_claims([Delivered(q, NOW - days * DAY) for q, days in deliveries], claimed,
                        NOW, 14)
    assert found.left == left, why
    assert found.delivered == sum(q for q, _d in deliveries)


def test_the_window_closes_with_the_latest_delivery():
    found = line_claims([Delivered(6, NOW - 20 * DAY), Delivered(4, NOW - DAY)], 0, NOW, 14)
    assert found.closes_at == NOW + 13 * DAY


def state(delivered=10, days_ago=2, claimed=0):
    return line_claims([Delivered(delivered, NOW - days_ago * DAY)] if delivered else [],
                       claimed, NOW, 14)


def test_a_good_report_gives_reason_quantity_and_note():
    assert check_report(state(), "damaged", " 3 ", "  Sac éventré ", NOW) == (
        ClaimReason.DAMAGED, 3, "Sac éventré")


@pytest.mark.parametrize(("reason", "qty", "note", "field"), [
    ("", "1", "", "reason"),
    ("lost", "1", "", "reason"),
    ("short", "", "", "quantity"),
    ("short", "0", "", "quantity"),
    ("short", "-1", "", "quantity"),
    ("short", "١", "", "quantity"),
    ("short", "1.5", "", "quantity"),
    ("short", "11", "", "quantity"),
    ("short", "1", "x" * 501, "note"),
])
def test_a_bad_report_is_refused_at_its_field(words, reason, qty, note, field):
    with pytest.raises(DomainError) as refused:
        check_report(state(), reason, qty, note, NOW)
    assert refused.value.field == field


def test_more_than_is_left_says_how_many_were_delivered_and_reported(words):
    with pytest.raises(DomainError) as refused:
        check_report(state(claimed=8), "damaged", "3", "", NOW)
    assert "2" in str(refused.value) and refused.value.field == "quantity"


@pytest.mark.parametrize("built", [
    lambda: state(delivered=0), lambda: state(days_ago=15), lambda: state(claimed=10)])
def test_a_report_on_a_line_that_cannot_take_one_is_refused_for_the_form(words, built):
    with pytest.raises(DomainError) as refused:
        check_report(built(), "short", "1", "", NOW)
    assert refused.value.field is None


PARIS = ZoneInfo("Europe/Paris")
SHIPPED = datetime(2026, 3, 19, 7, 0, tzinfo=UTC)


@pytest.mark.parametrize(("raw", "expected"), [
    ("", NOW),
    ("2026-03-20T09:30", datetime(2026, 3, 20, 8, 30, tzinfo=UTC)),  # Paris is UTC+1
    ("2026-03-19T08:00", datetime(2026, 3, 19, 7, 0, tzinfo=UTC)),  # the minute it left
    ("2026-03-19T07:59", DomainError),  # before it left
    ("2026-03-20T10:30", DomainError),  # 30 minutes ahead of now
    ("hier", DomainError),
])
def test_the_delivery_time_is_local_not_before_shipping_nor_in_the_future(words, raw,
                                                                           expected):
    if expected is DomainError:
        with pytest.raises(DomainError):
            delivered_at(raw, PARIS, SHIPPED, NOW)
    else:
        assert delivered_at(raw, PARIS, SHIPPED, NOW) == expected


def test_the_receivers_name_is_needed_and_kept_short(words):
    assert receiver("  Paul   Martin ") == "Paul Martin"
    for bad in ("", "   ", "x" * 121):
        with pytest.raises(DomainError):
            receiver(bad)
