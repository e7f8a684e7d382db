"""Accounts: people, their passwords and their company's organisation, and the audit trail.

- `signin`: sign-in, password change and reset, invitations (tokens sent by mail);
  `passwords`: hashing and the password policy.
- `company_admin`: a company admin's users, units (the org tree, budgets) and their limits.
- `audit`: `record`, one audit row in the caller's transaction; `journal`: the entries a
  company admin may read, in words.

Front door: `authenticate`, `send_invitation`, `find_user_by_email`, the company admin use
cases, `record`, `journal_page`.
"""

from portal.services.accounts.audit import record
from portal.services.accounts.company_admin import (
    AmountError,
    UnitData,
    UserData,
    amount_message,
    company_units,
    company_users,
    invite_user,
    is_email,
    own_unit,
    parse_amount_cents,
    save_unit,
    set_unit_archived,
    set_user_disabled,
    unit_tree,
    update_user,
)
from portal.services.accounts.crew import CrewMember, crew_spending, member_spending
from portal.services.accounts.journal import journal_page, parse_before
from portal.services.accounts.passwords import hash_password
from portal.services.accounts.signin import (
    WrongCurrentPassword,
    authenticate,
    change_password,
    find_user_by_email,
    request_password_reset,
    send_invitation,
    set_password_with_token,
    token_user,
)

__all__ = [
    "AmountError", "CrewMember", "UnitData", "UserData", "WrongCurrentPassword",
    "amount_message", "crew_spending", "member_spending",
    "authenticate", "change_password", "company_units", "company_users", "find_user_by_email",
    "hash_password", "invite_user", "is_email", "journal_page", "own_unit", "parse_amount_cents",
    "parse_before", "record", "request_password_reset", "save_unit", "send_invitation",
    "set_password_with_token", "set_unit_archived", "set_user_disabled", "token_user", "unit_tree",
    "update_user",
]
