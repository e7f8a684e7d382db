"""Framework contracts of public-sector buyers ("marchés publics"): the spend against each
contract's ceiling, what a public order must carry, and the staff's contract form.

What a public buyer sees and pays under their contract is the selling policy's
(`services/selling/framework.py`); this package holds the rest:

- `spend`: what a contract has committed (`spent_by_contract`), the buyer's gauge and
  warning from 80 % (`public_terms`: the contract in force with its `Gauge`, or why nothing
  can be ordered).
- `ordering_rules`: checkout's rules for a public buyer: the legal commitment number and the
  service code (`checkout_errors`), the contract in force and its ceiling as the order is
  placed (`order_terms`, refusing with `ContractClosed` / `CeilingReached`), and that ceiling
  again as an approver approves a waiting order, trimmed or not (`approval_check`).
- `admin`: the staff's list (`contract_rows`) and form (`save_contract`, `ContractInvalid`).
"""

from portal.services.contracts.admin import (
    ContractForm,
    ContractInvalid,
    ContractRow,
    contract_rows,
    find_contract,
    form_of,
    save_contract,
    takes_contracts,
)
from portal.services.contracts.ordering_rules import (
    CeilingReached,
    ContractClosed,
    ContractRefused,
    approval_check,
    checkout_errors,
    is_public_buyer,
    order_terms,
)
from portal.services.contracts.spend import (
    WARNING_BP,
    Gauge,
    PublicTerms,
    public_terms,
    spent_by_contract,
)

__all__ = [
    "CeilingReached", "ContractClosed", "ContractForm", "ContractInvalid", "ContractRefused",
    "ContractRow", "Gauge", "PublicTerms", "WARNING_BP", "approval_check", "checkout_errors",
    "contract_rows",
    "find_contract", "form_of", "is_public_buyer", "order_terms", "public_terms",
    "save_contract", "spent_by_contract", "takes_contracts",
]
