"""Back-office forms: commercial terms (approve an application, edit a customer), rejection."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, ValidationError

from portal.form_choices import choice
from portal.models import CompanyStatus, PaymentTerms
from portal.services.backoffice import (
    EDITABLE_STATUSES,
    PAYMENT_TERMS,
    STATUS_LABELS,
    cents_to_input,
    parse_money_cents,
    terms_options,
)


def _money(form, field):
    try:
        field.cents = parse_money_cents(field.data)
    except ValueError:
        raise ValidationError(_l("Enter an amount in euros, for example 5000 or 5000,50.")) \
            from None


def _optional_id(raw: str | None) -> int | None:
    return int(raw) if raw and raw.isascii() and raw.isdigit() else None


def term_choices() -> dict:
    """Select options shared by every terms form on a page (loaded once per request)."""
    groups, lists = terms_options()
    return {
        "groups": [choice("", _l("No group"))] + [
            choice(str(i), f"{name} ({code})" if name != code else code)
            for i, code, name in groups],
        "lists": [choice("", _l("No contract list"))] + [
            choice(str(i), f"{name} ({code})" if name != code else code)
            for i, code, name in lists],
        "group_codes": {code: i for i, code, _name in groups},
    }


class TermsForm(FlaskForm):
    customer_group = SelectField(_l("Customer group"), choices=[])
    price_list = SelectField(_l("Contract price list"), choices=[])
    payment_terms = SelectField(_l("Payment terms"),
                                choices=[choice(str(k), v) for k, v in PAYMENT_TERMS])
    credit_limit = StringField(
        _l("Credit limit (EUR)"), validators=[Length(max=20), _money],
        render_kw={"inputmode": "decimal", "autocomplete": "off"})

    def use_choices(self, choices: dict):
        self.customer_group.choices = choices["groups"]
        self.price_list.choices = choices["lists"]
        return self

    def fill(self, group_id, price_list_id, terms, credit_cents):
        self.customer_group.data = str(group_id or "")
        self.price_list.data = str(price_list_id or "")
        self.payment_terms.data = str(terms)
        self.credit_limit.data = cents_to_input(credit_cents)

    def credit_preview(self) -> int | None:
        """The credit limit typed so far, in cents, for the summary line (None if unreadable)."""
        try:
            return parse_money_cents(self.credit_limit.data)
        except ValueError:
            return None

    def values(self) -> dict:
        return {
            "customer_group_id": _optional_id(self.customer_group.data),
            "price_list_id": _optional_id(self.price_list.data),
            "payment_terms": PaymentTerms(self.payment_terms.data),
            "credit_limit_cents": getattr(self.credit_limit, "cents", None),
        }


class ApproveForm(TermsForm):
    pass


class RejectForm(FlaskForm):
    reason = TextAreaField(
        _l("Reason (sent to the applicant)"),
        validators=[DataRequired(message=_l("Give a reason: the applicant will read it.")),
                    Length(max=1000)])


class CustomerForm(TermsForm):
    po_required = BooleanField(_l("PO number required on every order"))
    # Not sent: kept as it is; a value off the list is refused by the service, at the form.
    po_rule = SelectField(_l("PO number proposed at checkout"), validate_choice=False, choices=[
        choice("ask", _l("None: the buyer types it")),
        choice("reuse", _l("The repeated order's, else the buyer's last one")),
        choice("generate", _l("Made from the date and the order of the day (20261205-01)")),
    ])
    status = SelectField(_l("Account status"),
                         choices=[choice(str(s), STATUS_LABELS[s]) for s in EDITABLE_STATUSES])

    # Where the company is established for VAT, and its SIRET or VAT number: with the country
    # they decide domestic VAT, reverse charge or export (checked in services.backoffice).
    country = StringField(_l("Country (two-letter code)"), validators=[Length(max=2)],
                          render_kw={"autocomplete": "off", "autocapitalize": "characters"})
    legal_id = StringField(_l("SIRET or VAT number"), validators=[Length(max=40)],
                           render_kw={"autocomplete": "off"})

    def fill_company(self, company):
        self.fill(company.customer_group_id, company.price_list_id, company.payment_terms,
                  company.credit_limit_cents)
        self.po_required.data = company.po_required
        self.po_rule.data = company.po_rule
        self.country.data, self.legal_id.data = company.country, company.legal_id
        if company.status in EDITABLE_STATUSES:
            self.status.data = str(company.status)

    def tax_identity(self) -> dict:
        """Country and legal id as sent; none when the form did not carry them (kept)."""
        if not self.country.raw_data:
            return {}
        return {"country": self.country.data, "legal_id": self.legal_id.data}

    def status_value(self, company) -> CompanyStatus | None:
        if company.status not in EDITABLE_STATUSES:
            return None
        return CompanyStatus(self.status.data)
