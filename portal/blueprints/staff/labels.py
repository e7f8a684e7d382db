"""Translated labels for codes stored in the database, available to every template.

The words and badge tones live in portal/models/labels, next to the enums; this only hands
them to the templates (customers' pages and emails use the same ones).
"""

from portal.blueprints.staff import bp
from portal.form_choices import chosen_label
from portal.models.labels import (
    company_status_label,
    company_status_tone,
    order_status_label,
    order_status_tone,
    payment_terms_label,
    role_label,
)
from portal.services.backoffice import trade_label

for _function, _name in (
    (role_label, "role_label"),
    (order_status_label, "order_status_label"),
    (order_status_tone, "order_status_tone"),
    (company_status_label, "company_status_label"),
    (company_status_tone, "company_status_tone"),
    (payment_terms_label, "terms_label"),
    (trade_label, "trade_label"),
    (chosen_label, "chosen_label"),
):
    bp.add_app_template_global(_function, _name)
