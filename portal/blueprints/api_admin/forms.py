"""The form that creates an API client."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectMultipleField, StringField, widgets
from wtforms.validators import DataRequired, Length

from portal.form_choices import choice
from portal.services.integration import SELLER_SCOPES


class ClientForm(FlaskForm):
    name = StringField(_l("Name (the system calling, e.g. “ERP production”)"),
                       validators=[DataRequired(), Length(max=80)])
    scopes = SelectMultipleField(
        _l("Scopes"), choices=[choice(s, s) for s in SELLER_SCOPES],
        widget=widgets.ListWidget(prefix_label=False), option_widget=widgets.CheckboxInput(),
        validators=[DataRequired(message=_l("Choose at least one scope."))])


class CompanyTokenForm(FlaskForm):
    name = StringField(_l("Name (your purchasing system, e.g. “SAP Ariba”)"),
                       validators=[DataRequired(), Length(max=80)])
    scopes = SelectMultipleField(
        _l("What it may do"),
        choices=[choice("orders:read", _l("Read our orders")),
                 choice("cart:write", _l("Put lines into our users' carts"))],
        widget=widgets.ListWidget(prefix_label=False), option_widget=widgets.CheckboxInput(),
        validators=[DataRequired(message=_l("Choose at least one scope."))])
