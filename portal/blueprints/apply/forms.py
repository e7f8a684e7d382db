"""The trade account application form."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, SelectField, StringField, TelField
from wtforms.validators import DataRequired, Email, Length, Regexp

from portal.form_choices import choice
from portal.services.backoffice import TRADES
from portal.services.text import clean_line


class ApplicationForm(FlaskForm):
    class Meta:
        def bind_field(self, form, unbound_field, options):
            # The clean-text rule before the validators: a name of invisible characters
            # only is "required", not stored empty.
            if issubclass(unbound_field.field_class, StringField):
                options = {**options, "filters": (*options.get("filters", ()), clean_line)}
            return super().bind_field(form, unbound_field, options)

    company_name = StringField(_l("Company name"), validators=[DataRequired(), Length(max=160)],
                               render_kw={"autocomplete": "organization"})
    # Format and check digits are checked by services.backoffice.check_legal_id.
    legal_id = StringField(_l("SIRET or VAT number"), validators=[DataRequired(), Length(max=40)],
                           render_kw={"autocapitalize": "characters", "spellcheck": "false"})
    trade = SelectField(_l("Trade"),
                        choices=[choice("", _l("Choose your trade"))]
                        + [choice(key, label) for key, label in TRADES],
                        validators=[DataRequired(message=_l("Choose your trade."))])
    address_line = StringField(_l("Address"), validators=[DataRequired(), Length(max=200)],
                               render_kw={"autocomplete": "address-line1"})
    postal_code = StringField(
        _l("Postal code"),
        validators=[DataRequired(),
                    Regexp(r"^[0-9]{5}$", message=_l("A postal code has 5 digits."))],
        render_kw={"autocomplete": "postal-code", "inputmode": "numeric", "pattern": "[0-9]*",
                   "maxlength": "5"})
    city = StringField(_l("City"), validators=[DataRequired(), Length(max=120)],
                       render_kw={"autocomplete": "address-level2"})
    contact_name = StringField(_l("Your name"), validators=[DataRequired(), Length(max=120)],
                               render_kw={"autocomplete": "name"})
    email = EmailField(_l("Email"), validators=[DataRequired(), Email(), Length(max=254)],
                       render_kw={"autocomplete": "email", "inputmode": "email"})
    phone = TelField(
        _l("Phone"),
        validators=[DataRequired(), Length(max=40),
                    Regexp(r"^\+?[0-9 .()-]{6,}$", message=_l("Enter a phone number."))],
        render_kw={"autocomplete": "tel", "inputmode": "tel"})
