"""Company administration forms. Amounts are text fields parsed strictly to cents."""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, Regexp, ValidationError

from portal.services.accounts import AmountError, amount_message, parse_amount_cents


class AmountField(StringField):
    """Money typed by a person ("1 000,50"); `cents` is set after validation (None if blank)."""

    cents: int | None = None

    def __init__(self, label=None, validators=None, **kw):
        render_kw = {"inputmode": "decimal", "autocomplete": "off", "maxlength": "24"}
        render_kw.update(kw.pop("render_kw", {}) or {})
        super().__init__(label, validators or [],
                         render_kw=render_kw, **kw)

    def pre_validate(self, form):
        self.cents = None
        try:
            self.cents = parse_amount_cents(self.data or "")
        except AmountError as exc:
            raise ValidationError(amount_message(exc.code)) from None


def int_or_none(value) -> int | None:
    text = value if isinstance(value, str) else ""
    return int(text) if text.isascii() and text.isdigit() and len(text) < 12 else None


def allowance_in(field: AmountField, currency: str) -> None:
    """Label a yearly allowance with the currency of the store it is spent on."""
    field.label.text = _("Yearly allowance (%(currency)s, empty: none)", currency=currency)


class UserForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=120)],
                       render_kw={"autocomplete": "off"})
    email = EmailField(_l("Email"), validators=[Optional(), Length(max=254)],
                       render_kw={"autocomplete": "off", "inputmode": "email"})
    role = SelectField(_l("Role"))
    unit = SelectField(_l("Unit"))
    order_limit = AmountField(_l("Per-order limit (EUR, empty: none)"))
    monthly_budget = AmountField(_l("Monthly budget (EUR, empty: none)"))
    yearly_allowance = AmountField(_l("Yearly allowance (EUR, empty: none)"))


class UnitForm(FlaskForm):
    kind = SelectField(_l("Kind"))
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=160)])
    parent = SelectField(_l("Part of"))
    budget = AmountField(_l("Monthly budget (EUR, empty: none)"))
    line1 = StringField(_l("Street"), validators=[Length(max=200)],
                        render_kw={"autocomplete": "address-line1"})
    line2 = StringField(_l("Address line 2"), validators=[Length(max=200)],
                        render_kw={"autocomplete": "address-line2"})
    postal_code = StringField(_l("Postal code"), validators=[Length(max=20)],
                              render_kw={"autocomplete": "postal-code", "inputmode": "numeric"})
    city = StringField(_l("City"), validators=[Length(max=120)],
                       render_kw={"autocomplete": "address-level2"})
    site_contact_name = StringField(_l("Site contact"), validators=[Length(max=120)])
    site_contact_phone = StringField(_l("Site contact phone"), validators=[Length(max=40)],
                                     render_kw={"type": "tel", "inputmode": "tel"})
    delivery_window = StringField(_l("Delivery window"), validators=[Length(max=120)],
                                  render_kw={"placeholder": "7h-10h"})
    delivery_notes = TextAreaField(_l("Gate and unloading notes"),
                                   validators=[Length(max=2000)])
    project_code = StringField(_l("Project code"), validators=[Length(max=40)])


class RuleForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=120)])
    scope = SelectField(_l("Applies to"))
    position = StringField(_l("Order of evaluation"),
                           validators=[Optional(), Regexp(r"^[0-9]{1,4}$", message=_l(
                               "Enter a number up to 9999."))],
                           render_kw={"inputmode": "numeric", "pattern": "[0-9]*"})
    min_total = AmountField(_l("When the order total is over (EUR)"))
    over_order_limit = BooleanField(_l("When the buyer's per-order limit is exceeded"))
    over_user_budget = BooleanField(_l("When the buyer's monthly budget is exceeded"))
    over_unit_budget = BooleanField(_l("When the unit's monthly budget is exceeded"))
    category = SelectField(_l("When the order has products of"))
    jobsite = SelectField(_l("When delivered to"))
    step1 = SelectField(_l("Step 1: approved by"))
    step1_min = AmountField(_l("Step 1 only above (EUR)"))
    step2 = SelectField(_l("Step 2: approved by"))
    step2_min = AmountField(_l("Step 2 only above (EUR)"))
    step3 = SelectField(_l("Step 3: approved by"))
    step3_min = AmountField(_l("Step 3 only above (EUR)"))


class CrewInviteForm(FlaskForm):
    """A new crew member on an employee store (a buyer who signs in there)."""

    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=120)],
                       render_kw={"autocomplete": "off"})
    email = EmailField(_l("Email"), validators=[DataRequired(), Length(max=254)],
                       render_kw={"autocomplete": "off", "inputmode": "email"})
    unit = SelectField(_l("Unit"))
    yearly_allowance = AmountField(_l("Yearly allowance (EUR, empty: none)"))


class CrewMoveForm(FlaskForm):
    """One of the company's buyers moved to an employee store."""

    person = SelectField(_l("Buyer"))
    yearly_allowance = AmountField(_l("Yearly allowance (EUR, empty: none)"))
