"""The clean-text rule for everything people type and the portal stores and shows again.

A name, a note or an address is stored as the person meant it, not as their keyboard, their
clipboard or an attacker sent it:

- NFC: "é" typed as e + combining accent is the same text as the precomposed "é";
- no bidi controls (U+202A–U+202E, U+2066–U+2069, U+200E/F, U+061C), no zero-width or other
  invisible format characters (U+200B–U+200D, U+2060, U+FEFF, soft hyphen…: Unicode's "Cf"),
  no control characters and no lone surrogates: they reorder or hide what a reader sees
  ("Trojan Source" names, a list that looks like another);
- whitespace folded: one line is trimmed with single spaces; a multi-line text keeps its line
  breaks (at most one empty line in a row) and each line is folded the same way; no-break
  spaces are kept, since French typography needs them.

`clean_line` and `clean_text` are the rule. `FIELDS` names every stored free-text column and
which of the two it follows; `watch_free_text_fields` makes every assignment to one of them go
through the rule, so no form, import or service can store text around it. Services still
clean before they validate ("required", length), so that a name made only of invisible
characters is refused with a message instead of being stored empty.
"""

from __future__ import annotations

import re
import unicodedata

from sqlalchemy import event

# Invisible format characters, controls, lone surrogates.
_DROPPED = frozenset({"Cf", "Cc", "Cs"})
_BLANK_RUN = re.compile(r"\n{3,}")
# Runs of spaces, tabs and the like fold to one space (line breaks are handled apart); a lone
# no-break space stays as it is: French puts one before ":" and in "1\u202f000\xa0€".
_SPACE_RUN = re.compile(r"[^\S\n]+")
_NO_BREAK = frozenset("\u00a0\u202f\u2007")


def _visible(text: str, keep: str = "") -> str:
    """NFC text without invisible characters; whitespace controls in `keep` stay."""
    text = unicodedata.normalize("NFC", text)
    return "".join(
        ch if ch in keep or unicodedata.category(ch) not in _DROPPED
        else (" " if ch.isspace() else "")
        for ch in text
    )


def _fold(line: str) -> str:
    return _SPACE_RUN.sub(lambda run: run[0] if run[0] in _NO_BREAK else " ", line).strip()


def clean_line(value) -> str:
    """One line of text: visible characters only, trimmed, single spaces."""
    text = "" if value is None else str(value)
    if not (text.isascii() and text.isprintable()):
        text = _visible(text)
    return _fold(text.replace("\n", " "))


def clean_text(value) -> str:
    """Several lines (notes, addresses): each line cleaned, line breaks kept."""
    text = "" if value is None else str(value)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _visible(text, keep="\n")
    text = "\n".join(_fold(line) for line in text.split("\n"))
    return _BLANK_RUN.sub("\n\n", text).strip("\n")


LINE, TEXT = clean_line, clean_text

# Every stored column that holds text a person typed (or imported), by model.
FIELDS: dict[str, dict[str, object]] = {
    "ProductVideo": {"title_fr": LINE, "title_en": LINE},
    "SellerPage": {"title_fr": LINE, "title_en": LINE},
    "Storefront": {"name": LINE, "legal_mentions": TEXT},
    "FrameworkContract": {"reference": LINE, "title": LINE},
    "Attribute": {"name_fr": LINE, "name_en": LINE},
    "ProductDocument": {"title": LINE},
    "ProductAttribute": {"value_fr": LINE, "value_en": LINE},
    "ProductImage": {"alt_fr": LINE, "alt_en": LINE},
    "TermsVersion": {"title_fr": LINE, "title_en": LINE},
    "AccountApplication": {"contact_name": LINE, "contact_phone": LINE, "message": TEXT,
                           "reason": TEXT},
    "ApiClient": {"name": LINE},
    "Address": {"label": LINE, "line1": LINE, "line2": LINE, "postal_code": LINE,
                "city": LINE},
    "ApprovalRequest": {"comment": TEXT},
    "ApprovalRule": {"name": LINE},
    "CartLine": {"note": LINE},
    "Category": {"name_fr": LINE, "name_en": LINE},
    "Company": {"name": LINE, "phone": LINE},
    "CustomerGroup": {"name": LINE},
    "ImportJob": {"filename": LINE},
    "Order": {"ship_to": TEXT, "site_contact": LINE, "delivery_window": LINE,
              "delivery_notes": TEXT, "po_number": LINE, "service_code": LINE,
              "notes": TEXT},
    "OrderEvent": {"message": TEXT},
    "OrderLine": {"name": LINE, "name_en": LINE, "note": LINE},
    "OrderReference": {"erp_number": LINE},
    "PriceList": {"name": LINE},
    "Product": {"name_fr": LINE, "name_en": LINE, "description_fr": TEXT,
                "description_en": TEXT, "brand": LINE},
    "Shipment": {"carrier": LINE, "tracking_number": LINE, "received_by": LINE},
    "Claim": {"note": TEXT},
    "ShoppingList": {"name": LINE},
    "ShoppingListLine": {"note": LINE},
    "Unit": {"name": LINE, "project_code": LINE, "site_contact_name": LINE,
             "site_contact_phone": LINE, "delivery_window": LINE, "delivery_notes": TEXT},
    "User": {"name": LINE, "phone": LINE},
    "Warehouse": {"name": LINE, "city": LINE, "opening_hours": TEXT},
    "DeliveryZone": {"name": LINE},
    "BillingProfile": {"name": LINE, "line1": LINE, "line2": LINE, "postal_code": LINE,
                       "city": LINE, "service_code": LINE},
    "Invoice": {"reason": TEXT, "buyer_name": LINE, "buyer_address": TEXT,
                "buyer_postal_code": LINE, "buyer_city": LINE, "po_number": LINE,
                "buyer_reference": LINE},
    "InvoiceLine": {"name": LINE},
    "InvoicePayment": {"reference": LINE},
    "Quote": {"note": TEXT},
    "QuoteVersion": {"delivery_terms": LINE},
    "QuoteLine": {"note": LINE},
    "QuoteMessage": {"body": TEXT},
}

# Text columns that are not free text: codes, identifiers, hashes, machine-written text, and
# an uploaded file kept byte for byte. A new text column must be listed in one of the two
# (tests/security/test_text_hygiene.py fails otherwise).
NOT_FREE_TEXT: dict[str, set[str]] = {
    "ProductVideo": {"url"},
    "ReplayedChange": {"key"},  # a phone's random key (ordering.valid_replay_key)
    "BoughtProduct": {"days"},  # written by services/ordering/bought.py, days and quantities
    # Checked words: host names, codes, a colour (services/storefronts/admin.py).
    "Storefront": {"code", "hosts", "language", "country", "currency", "brand_colour", "kind",
                   "path_prefix"},
    # Markdown: indentation and blank lines carry meaning; rendered by the safe subset.
    "SellerPage": {"slug", "body_fr", "body_en"},
    "TermsVersion": {"body_fr", "body_en"},
    "Attribute": {"code"},
    "ProductDocument": {"language", "key"},
    "ProductAttribute": {"value_key"},
    "QuoteMessage": {"attachment_key", "attachment_name"},  # the file's own name, shown as text
    "Shipment": {"proof_key"},  # stored files' keys (services/storage)
    "Claim": {"photo_key"},
    "AccountApplication": {"contact_email"},
    "Address": {"country"},
    "ApiClient": {"token_hash", "token_hint"},
    "ApprovalRequest": {"reason"},  # written by the routing, in words of its own
    "AuditEntry": {"action", "object_type"},
    "Category": {"slug"},
    "Company": {"legal_id", "trade", "currency", "language", "country", "external_ref",
                "po_rule"},
    "CustomerGroup": {"code"},
    "IdempotentAnswer": {"key", "request_hash"},
    "ImportJob": {"kind", "content", "claimed_by"},
    "Order": {"number", "currency", "submit_token", "search_text"},
    "OrderEvent": {"kind", "code"},
    "OrderLine": {"sku"},
    "OutboxMessage": {"kind", "to_address", "subject", "body_text", "last_error", "message_id",
                      "unsubscribe_url"},
    "PeriodicRun": {"job", "period", "worker_id", "state", "error"},
    "PriceList": {"code", "currency"},
    "Product": {"sku", "gtin", "uom", "pack_kind", "search_text"},
    "Unit": {"external_ref"},
    "User": {"email", "password_hash", "language", "external_ref"},
    "UserToken": {"token_hash"},
    "Warehouse": {"code", "working_days"},
    "DeliveryZone": {"delivery_days"},
    "WebhookDelivery": {"message_id", "event", "state", "last_error"},
    "WebhookSubscription": {"url", "secret"},
    "WorkerHeartbeat": {"worker_id"},
    "BillingProfile": {"country"},
    "Invoice": {"number", "series", "currency", "buyer_country", "buyer_legal_id",
                "order_number"},
    "InvoiceCounter": {"series"},
    "InvoiceLine": {"sku"},
    "Quote": {"number"},
    "QuoteVersion": {"currency"},
}


def _on_set(rule):
    def clean(target, value, oldvalue, initiator):
        return rule(value) if isinstance(value, str) else value
    return clean


def watch_free_text_fields() -> None:
    """Every assignment to a listed column goes through its rule (once per process)."""
    import portal.models as models

    for model_name, columns in FIELDS.items():
        model = getattr(models, model_name)
        for column, rule in columns.items():
            attribute, listener = getattr(model, column), _LISTENERS[rule]
            if not event.contains(attribute, "set", listener):
                event.listen(attribute, "set", listener, retval=True)


_LISTENERS = {LINE: _on_set(LINE), TEXT: _on_set(TEXT)}
