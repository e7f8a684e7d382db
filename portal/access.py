"""Who may call which endpoint, and tenant-scoped lookups.

Every view declares its audience with `@allow(...)`; the declarations form the permission
matrix (role × endpoint) that `tests/security` reads and checks against real requests, and a
route without a declaration fails the suite. Object checks go through `scoped_or_404`, so a
foreign object answers exactly like a missing one.
"""

from collections.abc import Callable
from functools import wraps

from flask import abort
from flask_login import current_user

from portal.extensions import db
from portal.models import CUSTOMER_ROLES, STAFF_ROLES, Role

PUBLIC = "public"  # anyone, signed in or not
SIGNED_IN = "signed_in"  # any signed-in user

BUYERS = (Role.BUYER, Role.APPROVER, Role.COMPANY_ADMIN)  # may order
CUSTOMERS = tuple(CUSTOMER_ROLES)
STAFF = tuple(STAFF_ROLES)

# endpoint name -> frozenset of roles, or {PUBLIC} / {SIGNED_IN}
MATRIX: dict[str, frozenset] = {}


def allow(*audience, when: Callable | None = None) -> Callable:
    """Declare and enforce who may call this view. Anonymous users are sent to sign in.

    `when(user)` is a further condition on the signed-in user (e.g. an active company for
    ordering): the bottom bar asks the same declaration through `may_open`, so it never
    offers a page that would answer 403.
    """
    allowed = frozenset(a for group in audience for a in (group if isinstance(group, tuple)
                                                          else (group,)))

    def decorator(view):
        endpoint_key = f"{view.__module__}.{view.__name__}"
        MATRIX[endpoint_key] = allowed

        @wraps(view)
        def wrapped(*args, **kwargs):
            if PUBLIC not in allowed:
                if not current_user.is_authenticated:
                    from portal.extensions import login_manager

                    return login_manager.unauthorized()
                if SIGNED_IN not in allowed and current_user.role not in allowed:
                    abort(403)
                if when is not None and not when(current_user):
                    abort(403)
            return view(*args, **kwargs)

        wrapped.allowed_roles = allowed
        wrapped.allowed_when = when
        return wrapped

    return decorator


def may_open(user, endpoint: str) -> bool:
    """Whether `user` (signed in) passes the `@allow` declaration of `endpoint`."""
    from flask import current_app

    view = current_app.view_functions.get(endpoint)
    allowed = getattr(view, "allowed_roles", None)
    if allowed is None:
        return False
    if PUBLIC not in allowed and SIGNED_IN not in allowed and user.role not in allowed:
        return False
    when = getattr(view, "allowed_when", None)
    return when is None or bool(when(user))


def roles_for_endpoint(app, endpoint: str) -> frozenset | None:
    view = app.view_functions.get(endpoint)
    return getattr(view, "allowed_roles", None)


def scoped_or_404(model, object_id, company_id: int | None = None):
    """Load `model` by id within the current user's company; anything else is a 404."""
    if company_id is None:
        company_id = current_user.company_id
    obj = db.session.get(model, object_id) if isinstance(object_id, int) else None
    if obj is None or company_id is None or getattr(obj, "company_id", None) != company_id:
        abort(404)
    return obj
