"""What a product's case physically is, in words: "sac de 25", "palette de 40", "carton de 12".

`Product.pack_kind` names it; the demo data, the product form and the CSV import fill it.
Anything unknown reads as a case, the historical wording.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from portal.i18n import gettext as _

DEFAULT_KIND = "case"
# One message per kind: French puts the noun's own word ("sac", "palette") where English
# says "bag", "pallet"; a shared "%(kind)s of %(n)s" could not be translated well.
_LABELS = {
    "case": lambda n: _("case of %(n)s", n=n),
    "bag": lambda n: _("bag of %(n)s", n=n),
    "pallet": lambda n: _("pallet of %(n)s", n=n),
    "roll": lambda n: _("roll of %(n)s", n=n),
    "box": lambda n: _("box of %(n)s", n=n),
    "bucket": lambda n: _("bucket of %(n)s", n=n),
    "drum": lambda n: _("drum of %(n)s", n=n),
    "bundle": lambda n: _("bundle of %(n)s", n=n),
}
PACK_KINDS = tuple(_LABELS)
KIND_NAMES = {
    "case": _l("Case"), "bag": _l("Bag"), "pallet": _l("Pallet"), "roll": _l("Roll"),
    "box": _l("Box"), "bucket": _l("Bucket"), "drum": _l("Drum"), "bundle": _l("Bundle"),
}
# Words an import file may use for a kind, in either language (lower case, no accents).
_ALIASES = {
    "carton": "case", "colis": "case", "sac": "bag", "palette": "pallet",
    "rouleau": "roll", "boite": "box", "seau": "bucket", "touret": "drum", "lot": "bundle",
}


def normalize_kind(raw: str | None) -> str | None:
    """The kind code for `raw` (either language, any case), "" for empty, None if unknown."""
    import unicodedata

    text = "".join(c for c in unicodedata.normalize("NFKD", (raw or "").strip().lower())
                   if not unicodedata.combining(c))
    if not text:
        return ""
    if text in _LABELS:
        return text
    return _ALIASES.get(text)


def kind_choices() -> list[tuple[str, str]]:
    """(code, name) of every kind, for a form's select, in the language in force."""
    return [(kind, str(KIND_NAMES[kind])) for kind in PACK_KINDS]


def case_label(product, capital: bool = False) -> str:
    """ "carton de 12" for `product` (anything with `case_pack` and `pack_kind`)."""
    kind = getattr(product, "pack_kind", None) or DEFAULT_KIND
    text = _LABELS.get(kind, _LABELS[DEFAULT_KIND])(product.case_pack)
    return text[:1].upper() + text[1:] if capital else text
