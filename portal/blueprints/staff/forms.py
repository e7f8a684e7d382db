"""Back-office forms: commercial terms (approve an application, edit a customer), rejection."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import BooleanField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, ValidationError

from portal.extensions import db
from portal.form_choices import choice
from portal.models import CompanyStatus, CustomerGroup, PaymentTerms, PriceList
from portal.services.backoffice import (
    EDITABLE_STATUSES,
    PAYMENT_TERMS,
    STATUS_LABELS,
    cents_to_input,
    parse_money_cents,
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
    groups = db.session.execute(
        select(CustomerGroup.id, CustomerGroup.code, CustomerGroup.name)
        .order_by(CustomerGroup.name)).all()
    lists = db.session.execute(
        select(PriceList.id, PriceList.code, PriceList.name)
        .where(PriceList.is_base.is_(False)).order_by(PriceList.name)).all()
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
    status = SelectField(_l("Account status"),
                         choices=[choice(str(s), STATUS_LABELS[s]) for s in EDITABLE_STATUSES])

    def fill_company(self, company):
        self.fill(company.customer_group_id, company.price_list_id, company.payment_terms,
                  company.credit_limit_cents)
        self.po_required.data = company.po_required
        if company.status in EDITABLE_STATUSES:
            self.status.data = str(company.status)

    def status_value(self, company) -> CompanyStatus | None:
        if company.status not in EDITABLE_STATUSES:
            return None
        return CompanyStatus(self.status.data)
