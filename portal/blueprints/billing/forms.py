"""The staff's billing forms: the billing contact and address, a payment received."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, SelectField, StringField
from wtforms.validators import Length, Optional, ValidationError

from portal.services.backoffice import parse_money_cents


class BillingForm(FlaskForm):
    # The service checks the choice (a user of this company), with its own message.
    contact = SelectField(_l("Billing contact"), choices=[], validate_choice=False)
    name = StringField(_l("Name on invoices"), validators=[Length(max=160)],
                       render_kw={"autocomplete": "organization"})
    line1 = StringField(_l("Billing address"), validators=[Length(max=200)],
                        render_kw={"autocomplete": "address-line1"})
    line2 = StringField(_l("Address, second line"), validators=[Length(max=200)],
                        render_kw={"autocomplete": "address-line2"})
    postal_code = StringField(_l("Postal code"), validators=[Length(max=20)],
                              render_kw={"autocomplete": "postal-code", "inputmode": "numeric"})
    city = StringField(_l("City"), validators=[Length(max=120)],
                       render_kw={"autocomplete": "address-level2"})
    country = StringField(_l("Country (two-letter code)"), validators=[Length(max=2)],
                          render_kw={"autocomplete": "off", "autocapitalize": "characters"})

    public_sector = BooleanField(_l("Public-sector customer, invoiced through Chorus Pro"))
    service_code = StringField(_l("Chorus Pro service code"), validators=[Length(max=100)],
                               render_kw={"autocomplete": "off"})

    def contact_id(self) -> int | None:
        raw = self.contact.data or ""
        return int(raw) if raw.isascii() and raw.isdigit() and len(raw) < 10 else None


def _money(form, field):
    try:
        field.cents = parse_money_cents(field.data)
    except ValueError:
        raise ValidationError(_l("Enter an amount in euros, for example 120 or 120,50.")) \
            from None


class PaymentForm(FlaskForm):
    amount = StringField(_l("Amount received (EUR)"), validators=[Length(max=20), _money],
                         render_kw={"inputmode": "decimal", "autocomplete": "off"})
    received_on = DateField(_l("Received on"), validators=[Optional()],
                            render_kw={"autocomplete": "off"})
    reference = StringField(_l("Bank reference"), validators=[Length(max=80)],
                            render_kw={"autocomplete": "off"})
