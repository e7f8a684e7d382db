"""The permission matrix file: endpoint × role → allow / deny.

`permission_matrix.csv` beside this module is the reviewed source the security tests read.
`python -m tests.security.matrix` rewrites it from the `@allow(...)` declarations of the
views, so a change of access shows up as a diff of that file in review.
"""

import csv
from pathlib import Path

from portal.access import PUBLIC, SIGNED_IN
from portal.models import Role

MATRIX_FILE = Path(__file__).with_name("permission_matrix.csv")
ROLES = ["anonymous", *[r.value for r in Role]]
# Endpoints served by Flask or the asset bundler, outside any role's reach.
INFRASTRUCTURE = {"static", "assets.bundle"}


def sample_url(rule, values: dict | None = None) -> str:
    """A URL for `rule`: given values, else a valid choice of an `any(...)`, else an id that
    exists nowhere (999999) or the word "x"."""
    from werkzeug.routing.converters import AnyConverter, IntegerConverter

    filled = {}
    for name in rule.arguments:
        converter = rule._converters.get(name)
        if values and name in values:
            filled[name] = values[name]
        elif isinstance(converter, AnyConverter):
            filled[name] = sorted(converter.items)[0]
        elif isinstance(converter, IntegerConverter):
            filled[name] = 999999
        else:
            filled[name] = "x"
    _, path = rule.build(filled, append_unknown=False)
    return path


def declared(app) -> dict[str, dict[str, str]]:
    rows = {}
    for endpoint, view in sorted(app.view_functions.items()):
        if endpoint in INFRASTRUCTURE:
            continue
        allowed = getattr(view, "allowed_roles", None)
        if allowed is None:
            rows[endpoint] = {role: "undeclared" for role in ROLES}
            continue
        row = {}
        for role in ROLES:
            if PUBLIC in allowed:
                row[role] = "allow"
            elif role == "anonymous":
                row[role] = "deny"
            elif SIGNED_IN in allowed or role in {str(r) for r in allowed}:
                row[role] = "allow"
            else:
                row[role] = "deny"
        rows[endpoint] = row
    return rows


def read() -> dict[str, dict[str, str]]:
    with MATRIX_FILE.open(newline="") as fh:
        return {row["endpoint"]: {r: row[r] for r in ROLES} for row in csv.DictReader(fh)}


def write(app) -> None:
    rows = declared(app)
    with MATRIX_FILE.open("w", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(["endpoint", *ROLES])
        for endpoint, row in rows.items():
            writer.writerow([endpoint, *[row[r] for r in ROLES]])


API_MATRIX_FILE = Path(__file__).with_name("api_matrix.csv")


def api_scopes() -> list[str]:
    from portal.services.integration import SCOPES

    return list(SCOPES)


def api_declared(app) -> dict[str, dict[str, str]]:
    """API operation (endpoint and method) × scope → allow/deny, from `@operation(scope)`."""
    rows = {}
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: (r.rule, r.endpoint)):
        view = app.view_functions.get(rule.endpoint)
        if not hasattr(view, "api_scope"):
            continue
        scope = view.api_scope  # None: any live token
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            rows[f"{method} {rule.rule}"] = {s: "allow" if scope in (None, s) else "deny"
                                             for s in api_scopes()}
    return rows


def api_read() -> dict[str, dict[str, str]]:
    with API_MATRIX_FILE.open(newline="") as fh:
        return {row["operation"]: {s: row[s] for s in api_scopes()}
                for row in csv.DictReader(fh)}


def api_write(app) -> None:
    with API_MATRIX_FILE.open("w", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(["operation", *api_scopes()])
        for operation, row in api_declared(app).items():
            writer.writerow([operation, *[row[s] for s in api_scopes()]])


if __name__ == "__main__":
    from portal import create_app

    built = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    write(built)
    api_write(built)
    print(f"wrote {MATRIX_FILE}")
