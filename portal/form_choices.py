"""Select options for WTForms, shared by the forms of several blueprints."""

try:
    from wtforms.fields.choices import SelectChoice
except ImportError:  # WTForms < 3.3
    SelectChoice = None


def choice(value, label):
    """One select option (WTForms 3.3 deprecates bare tuples)."""
    return SelectChoice(value, label) if SelectChoice else (value, label)


def chosen_label(field) -> str:
    """The label of a select's current value ("" if none matches)."""
    for option in field.choices:
        value, label = (option.value, option.label) if SelectChoice else option[:2]
        if value == field.data:
            return str(label)
    return ""
