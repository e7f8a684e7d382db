"""Tracking numbers link to their carrier's page; an unknown carrier stays plain text."""

import pytest

from portal.services.orders.tracking import tracking_url


@pytest.mark.parametrize(("carrier", "number", "url"), [
    ("DHL", "JD014600006281230704",
     ("https://www.dhl.com/fr-fr/home/tracking/tracking-parcel.html?submit=1"
      "&tracking-id=JD014600006281230704")),
    ("UPS", "1Z9", "https://www.ups.com/track?loc=fr_FR&tracknum=1Z9"),
    ("chronopost", "XY123456789FR",
     "https://www.chronopost.fr/tracking-no-cms/suivi-page?listeNumerosLT=XY123456789FR"),
    ("Colissimo", "6A12345678901",
     "https://www.laposte.fr/outils/suivre-vos-envois?code=6A12345678901"),
    ("DB Schenker", "SCH0012345678",
     "https://www.dbschenker.com/app/tracking-public/?refNumber=SCH0012345678"),
    ("db-schenker", "SCH1", "https://www.dbschenker.com/app/tracking-public/?refNumber=SCH1"),
    ("Schenker", "SCH1", "https://www.dbschenker.com/app/tracking-public/?refNumber=SCH1"),
    ("GEODIS", "GEO1", "https://geodis.com/fr/suivi-expedition?reference=GEO1"),
    ("Kuehne+Nagel", "KN1",
     "https://onlineservices.kuehne-nagel.com/public-tracking/shipments?query=KN1"),
])
def test_known_carriers_link_to_their_tracking_page(carrier, number, url):
    assert tracking_url(carrier, number) == url


@pytest.mark.parametrize(("carrier", "number"), [
    ("Transports Perrin", "TP1234567"), ("", "123"), ("DHL", ""), ("DHL", "   "),
])
def test_unknown_carriers_and_missing_numbers_have_no_link(carrier, number):
    assert tracking_url(carrier, number) is None


def test_the_number_cannot_change_the_address():
    url = tracking_url("UPS", "1Z&loc=x/../\"><script>")
    assert url == ("https://www.ups.com/track?loc=fr_FR&tracknum="
                   "1Z%26loc%3Dx%2F..%2F%22%3E%3Cscript%3E")


def test_the_seller_adds_its_own_carriers_and_only_https_pages():
    mine = {"Transports Perrin": "https://suivi.perrin.example/?n={number}",
            "Sketchy": "http://track.example/{number}"}
    assert tracking_url("transports perrin", "TP1", mine) == "https://suivi.perrin.example/?n=TP1"
    assert tracking_url("Sketchy", "1", mine) is None
