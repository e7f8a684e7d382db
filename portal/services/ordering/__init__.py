"""Ordering: from a buyer's first tap to a placed order.

- `cart`: the cart's lines (add, change, remove, notes); `cart_summary`: the cart with its
  verdicts, totals with tax and the approval it would need (prices and tax come from
  `services.selling`, approvals from `services.approvals`).
- `quick_order`, `paste` and `sku_lookup`: ordering by code from typed or pasted text and CSV
  files, with suggestions and "did you mean".
- `checkout`: the checkout form, delivery places and dates, and `place_order` (re-priced at
  submit, routed through approvals); `places`: a delivery place in words.
- `lists` and `list_orders`: shopping lists, a list to the cart, an order to a list;
  `reorder`: ordering a past order again; `bought`: what each buyer has bought, one row per
  product, kept in step with their orders; `due`: what a buyer reorders at a regular pace and
  is due again (the home card's "add what's due"), `digest` its weekly e-mail; `replays`: a
  change sent again (the offline queue's replay) done once.

Front door: `add_to_cart`, `summarize`, `place_order`, the list, quick-order and reorder use
cases. The cart's and the lists' line edits are `update_cart_line`/`remove_cart_line` and
`update_list_line`/`remove_list_line`.
"""

from portal.services.ordering.bought import rebuild as rebuild_bought
from portal.services.ordering.cart import (
    add_to_cart,
    cart_line_count,
    cart_lines,
    find_line,
    restore_line,
    set_note,
)
from portal.services.ordering.cart import remove_line as remove_cart_line
from portal.services.ordering.cart import update_line as update_cart_line
from portal.services.ordering.cart_summary import summarize
from portal.services.ordering.checkout import (
    AT_COLLECTION,
    AlreadyOrdered,
    CheckoutForm,
    CheckoutInvalid,
    EmptyCart,
    clean_date,
    clean_notes,
    default_place,
    delivery_places,
    earliest_date,
    find_by_token,
    finish_order,
    local_today,
    new_order,
    new_submit_token,
    order_number,
    payment_terms_label,
    place_order,
)
from portal.services.ordering.checkout import validate as validate_checkout
from portal.services.ordering.destinations import collect_label, collects
from portal.services.ordering.digest import send_due_digests, set_due_digest
from portal.services.ordering.digest import user_of_token as digest_user
from portal.services.ordering.due import DueItem, add_due_to_cart, due_for
from portal.services.ordering.list_orders import add_lines_to_cart, add_order_to_list, list_view
from portal.services.ordering.lists import (
    add_to_list,
    can_edit,
    create_list,
    default_list,
    delete_list,
    find_list,
    jobsites_for,
    lists_for,
    mark_list_line,
    move_line,
    swap_to_replacement,
    update_list,
    visible_list,
    visible_lists,
)
from portal.services.ordering.lists import remove_line as remove_list_line
from portal.services.ordering.lists import update_line as update_list_line
from portal.services.ordering.paste import MAX_FILE_BYTES, MAX_LINES, RawLine, parse_csv, parse_text
from portal.services.ordering.places import place_words
from portal.services.ordering.po_rule import checkout_defaults
from portal.services.ordering.quick_order import (
    ERROR,
    QuickOrderResult,
    add_all_to_cart,
    run_check,
    save_as_list,
)
from portal.services.ordering.reorder import apply_reorder, build_preview
from portal.services.ordering.replays import (
    first_time_change,
    forget_replay_keys,
    valid_replay_key,
)
from portal.services.ordering.scan import (
    add_code_to_cart,
    add_code_to_list,
    code_to_row,
    find_by_code,
)
from portal.services.ordering.service_due import ServiceItem, service_due_for
from portal.services.ordering.sku_lookup import suggest

__all__ = [
    "order_number",
    "DueItem", "add_due_to_cart", "due_for", "rebuild_bought", "ServiceItem", "service_due_for",
    "first_time_change", "forget_replay_keys", "valid_replay_key",
    "digest_user", "send_due_digests", "set_due_digest",
    "remove_cart_line", "remove_list_line", "update_cart_line", "update_list_line",
    "AlreadyOrdered", "CheckoutForm", "CheckoutInvalid", "ERROR", "EmptyCart", "MAX_FILE_BYTES",
    "MAX_LINES", "QuickOrderResult", "RawLine", "add_all_to_cart", "add_lines_to_cart",
    "add_order_to_list", "add_to_cart", "add_to_list", "apply_reorder", "build_preview",
    "cart_line_count", "cart_lines", "create_list", "default_list", "default_place", "delete_list",
    "delivery_places", "earliest_date", "find_by_token", "find_line",
    "finish_order", "new_order", "validate_checkout", "AT_COLLECTION", "collect_label",
    "collects", "clean_date", "clean_notes",
    "find_list", "can_edit", "visible_list", "jobsites_for", "list_view",
    "lists_for", "local_today", "move_line", "new_submit_token", "parse_csv", "parse_text",
    "payment_terms_label", "place_order", "place_words", "restore_line", "run_check",
    "save_as_list", "set_note", "suggest", "summarize", "swap_to_replacement", "update_list",
    "mark_list_line",
    "visible_lists", "add_code_to_cart", "add_code_to_list", "find_by_code",
    "code_to_row", "checkout_defaults",
]
