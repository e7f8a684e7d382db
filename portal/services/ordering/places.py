"""The word for a delivery place follows the customer's trade.

A contractor delivers to a jobsite, a restaurant to its kitchen, a dealer to its shop: asking
a chef for a "Chantier" reads wrong. `Company.trade` is free text typed at application time
(in French or English), so the kind is guessed from a few stems; anything else is a jobsite.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from flask_babel import gettext as _

_KITCHEN = ("restaura", "hotel", "cuisine", "traiteur", "brasserie", "cafe", "bistro",
            "hospitality", "catering", "kitchen", "cantine")
_SHOP = ("negoce", "revend", "quincaill", "magasin", "boutique", "dealer", "reseller",
         "shop", "store", "retail")


def _folded(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", (text or "").lower())
                   if not unicodedata.combining(c))


def place_kind(trade: str | None) -> str:
    """"kitchen", "shop" or "jobsite" for a company's trade."""
    folded = _folded(trade or "")
    if any(stem in folded for stem in _KITCHEN):
        return "kitchen"
    if any(stem in folded for stem in _SHOP):
        return "shop"
    return "jobsite"


@dataclass(frozen=True)
class PlaceWords:
    kind: str
    place: str  # "Jobsite"
    every_place: str  # "All jobsites"
    no_place: str  # "No jobsite"
    contact: str  # "Site contact"

    def contact_is(self, who: str) -> str:
        if self.kind == "kitchen":
            return _("Kitchen contact: %(who)s", who=who)
        if self.kind == "shop":
            return _("Shop contact: %(who)s", who=who)
        return _("Site contact: %(who)s", who=who)


def place_words(company=None) -> PlaceWords:
    """The words of `company`'s delivery places in the language in force."""
    kind = place_kind(getattr(company, "trade", None))
    if kind == "kitchen":
        return PlaceWords(kind, _("Kitchen"), _("All kitchens"), _("No kitchen"),
                          _("Kitchen contact"))
    if kind == "shop":
        return PlaceWords(kind, _("Shop"), _("All shops"), _("No shop"), _("Shop contact"))
    return PlaceWords(kind, _("Jobsite"), _("All jobsites"), _("No jobsite"), _("Site contact"))
