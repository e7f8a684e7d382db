"""The seller's back office: the staff's side of customers.

- `applications`: a business's application to open an account, and its approval or refusal
  (the account and its first admin's invitation).
- `customers`: customer accounts as staff see and edit them (status, payment terms, limits,
  assortment), with `write_audit`.
- `acting`: a sales rep ordering on behalf of a customer's buyer.
- `dashboard`: the staff dashboard's figures; `csv_export`: order lines as CSV.

Order fulfilment (`services.fulfilment`) and the CSV migration (`services.csv_import`) are
back-office work too, in packages of their own.

Front door: `submit_application`, `approve_application`/`reject_application`, `find_customer`,
`update_customer`, `start_acting`/`stop_acting`, `acting_staff`, `build_dashboard`,
`stream_csv` (an export).
"""

from portal.models.labels import COMPANY_STATUS_LABELS as STATUS_LABELS
from portal.models.labels import company_status_label as status_label
from portal.models.labels import payment_terms_label as terms_label
from portal.services.backoffice.acting import (
    ACTING_KEY,
    ACTING_ROLES,
    actable_user,
    acting_staff,
    may_act_for,
    returning_staff,
)
from portal.services.backoffice.acting import start as start_acting
from portal.services.backoffice.acting import stop as stop_acting
from portal.services.backoffice.applications import (
    TRADES,
    ApplicationData,
    ApprovalChoice,
    application_queue,
    approval_defaults,
    check_legal_id,
    find_application,
    legal_id_message,
    submit_application,
    tell_owner_of_application,
    trade_label,
)
from portal.services.backoffice.applications import approve as approve_application
from portal.services.backoffice.applications import reject as reject_application
from portal.services.backoffice.csv_export import EXPORTS, ORDER_HEADER, order_rows
from portal.services.backoffice.csv_export import stream as stream_csv
from portal.services.backoffice.customers import (
    EDITABLE_STATUSES,
    PAYMENT_TERMS,
    CustomerChanges,
    allowed_category_ids,
    cents_to_input,
    check_tax_identity,
    contract_list,
    customer_overview,
    find_customer,
    may_edit,
    parse_money_cents,
    search_customers,
    terms_options,
    top_level_categories,
    update_customer,
)
from portal.services.backoffice.dashboard import (
    Dashboard,
    column_bars,
    pending_applications,
    row_bars,
    today_totals,
    waiting_approval,
)
from portal.services.backoffice.dashboard import build as build_dashboard

__all__ = [
    "ACTING_KEY", "ACTING_ROLES", "ApplicationData", "ApprovalChoice", "CustomerChanges",
    "Dashboard", "EDITABLE_STATUSES", "EXPORTS", "ORDER_HEADER", "PAYMENT_TERMS", "STATUS_LABELS",
    "TRADES", "actable_user", "application_queue", "contract_list", "find_application",
    "returning_staff", "terms_options", "acting_staff", "allowed_category_ids", "approval_defaults",
    "approve_application", "build_dashboard", "cents_to_input", "check_legal_id", "column_bars",
    "customer_overview", "find_customer", "legal_id_message", "may_act_for", "may_edit",
    "order_rows", "parse_money_cents", "pending_applications", "reject_application", "row_bars",
    "search_customers", "start_acting", "status_label", "stop_acting", "stream_csv",
    "submit_application", "tell_owner_of_application", "terms_label", "today_totals",
    "top_level_categories", "trade_label", "update_customer", "waiting_approval",
    "check_tax_identity",
]
