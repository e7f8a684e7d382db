"""Shapes of the customer operations: companies, units, jobsites and users by the CRM's own
references, and the catalog visibility of a group or a company.

Upserts merge: an absent field keeps its value (a new object takes the default), null
clears it where null is allowed.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from portal.blueprints.api.schemas import Strict

MAX_CUSTOMER_ITEMS = 1000
# The CRM's own id: any visible characters but "/" (it travels in paths), up to 80.
REF_PATTERN = r"^[^\s/]{1,80}$"
CENTS_LIMIT = 1_000_000_000


def ref(description: str = "", **kw):
    return Field(pattern=REF_PATTERN, min_length=1, max_length=80, description=description,
                 **kw)


class CompanyItem(Strict):
    external_ref: str = ref("The CRM's or ERP's own id of the company (unique).")
    id: int | None = Field(default=None, gt=0, le=2_147_483_647, description=(
        "The portal's id of a company made in the portal (GET /companies), to give it this "
        "reference; needed once, while it has none."))
    name: str | None = Field(default=None, min_length=1, max_length=160,
                             description="Required for a new company.")
    legal_id: str | None = Field(default=None, max_length=40,
                                 description="SIRET or VAT number, checked for the country.")
    country: str | None = Field(default=None, min_length=2, max_length=2,
                                description="ISO 3166 alpha-2; the storefront's by default.")
    customer_group: str | None = Field(default=None, max_length=40, description="Group code.")
    price_list: str | None = Field(default=None, max_length=40,
                                   description="Code of a contract price list.")
    payment_terms: Literal["prepay", "net30", "net60", "net90"] | None = None
    credit_limit_cents: int | None = Field(default=None, ge=1, le=CENTS_LIMIT,
                                           description="null: no limit.")
    po_required: bool | None = None


class CompaniesIn(Strict):
    items: list[CompanyItem] = Field(min_length=1, max_length=MAX_CUSTOMER_ITEMS)


class UnitItem(Strict):
    external_ref: str = ref("Unique within the company (units and jobsites together).")
    kind: Literal["division", "branch"] | None = Field(
        default=None, description="Required for a new unit; a division holds branches.")
    name: str | None = Field(default=None, min_length=1, max_length=160)
    parent_ref: str | None = Field(default=None, pattern=REF_PATTERN, max_length=80,
                                   description="A unit earlier in the request or stored.")
    budget_cents: int | None = Field(default=None, ge=0, le=CENTS_LIMIT,
                                     description="Monthly budget; null: none.")


class UnitsIn(Strict):
    items: list[UnitItem] = Field(min_length=1, max_length=MAX_CUSTOMER_ITEMS)


class JobsiteItem(Strict):
    external_ref: str = ref("Unique within the company (units and jobsites together).")
    name: str | None = Field(default=None, min_length=1, max_length=160)
    parent_ref: str | None = Field(default=None, pattern=REF_PATTERN, max_length=80,
                                   description="The branch it belongs to.")
    budget_cents: int | None = Field(default=None, ge=0, le=CENTS_LIMIT)
    line1: str | None = Field(default=None, max_length=200,
                              description="Street; a new jobsite needs line1, postal code, city.")
    line2: str | None = Field(default=None, max_length=200)
    postal_code: str | None = Field(default=None, max_length=20)
    city: str | None = Field(default=None, max_length=120)
    project_code: str | None = Field(default=None, max_length=40)
    site_contact_name: str | None = Field(default=None, max_length=120)
    site_contact_phone: str | None = Field(default=None, max_length=40)
    delivery_window: str | None = Field(default=None, max_length=120)
    delivery_notes: str | None = Field(default=None, max_length=2000)


class JobsitesIn(Strict):
    items: list[JobsiteItem] = Field(min_length=1, max_length=MAX_CUSTOMER_ITEMS)


class UserItem(Strict):
    external_ref: str | None = Field(default=None, pattern=REF_PATTERN, max_length=80,
                                     description="Unique within the company; else by email.")
    email: str | None = Field(default=None, min_length=3, max_length=254,
                              description="Required for a new user, who is invited by it.")
    name: str | None = Field(default=None, min_length=1, max_length=120)
    role: Literal["company_admin", "approver", "buyer", "viewer"] | None = None
    unit_ref: str | None = Field(default=None, pattern=REF_PATTERN, max_length=80,
                                 description="A unit or jobsite of the same company.")
    order_limit_cents: int | None = Field(default=None, ge=0, le=CENTS_LIMIT)
    monthly_budget_cents: int | None = Field(default=None, ge=0, le=CENTS_LIMIT)


class UsersIn(Strict):
    items: list[UserItem] = Field(min_length=1, max_length=MAX_CUSTOMER_ITEMS)


class CustomerCounts(BaseModel):
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    invitations: int | None = Field(default=None, description="Users only: invitations queued.")


class CompanyOut(BaseModel):
    id: int
    external_ref: str | None = None
    name: str
    legal_id: str
    country: str
    status: str
    customer_group: str | None = None
    price_list: str | None = None
    payment_terms: str
    credit_limit_cents: int | None = None
    po_required: bool


class CompanyPage(BaseModel):
    data: list[CompanyOut]
    next_cursor: str | None = Field(description="Pass it as `cursor` for the next page.")
    has_more: bool


class CompanyListQuery(BaseModel):
    model_config = ConfigDict(extra="forbid")
    cursor: str | None = Field(default=None, max_length=200)
    limit: int = Field(default=100, ge=1, le=500)


class UnitOut(BaseModel):
    id: int
    external_ref: str | None = None
    kind: str
    name: str
    parent_ref: str | None = None
    archived: bool


class UserOut(BaseModel):
    id: int
    external_ref: str | None = None
    email: str
    name: str
    role: str
    unit_ref: str | None = None
    disabled: bool


class CompanyDetail(CompanyOut):
    units: list[UnitOut]
    users: list[UserOut]


Key = Annotated[str, Field(min_length=1, max_length=80)]


class AssortmentIn(Strict):
    categories: list[Key] = Field(default_factory=list, max_length=2000,
                                  description="Category slugs (their sub-categories too).")
    products: list[Key] = Field(default_factory=list, max_length=10000, description="SKUs.")


class AssortmentOut(BaseModel):
    categories: list[str]
    products: list[str]


class ListLineOut(BaseModel):
    list_id: int
    sku: str
    quantity: int = Field(description="The line's quantity after the addition.")
