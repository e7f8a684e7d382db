"""Customers by the CRM's or ERP's own references: companies, their units, jobsites and users
(a new user is invited to choose a password), the catalog visibility of a group or a
company, and a customer's system filling one of its company's shopping lists.

Bulk writes are all or nothing: a refusal names every refused item with a pointer, and
nothing is written (blueprints/api/problems.py answers it).
"""

from flask import g, jsonify

from portal.blueprints.api import bp
from portal.blueprints.api.customer_schemas import (
    AssortmentIn,
    AssortmentOut,
    CompaniesIn,
    CompanyDetail,
    CompanyListQuery,
    CompanyPage,
    CustomerCounts,
    JobsitesIn,
    ListLineOut,
    UnitsIn,
    UsersIn,
)
from portal.blueprints.api.operations import now, operation
from portal.blueprints.api.problems import ApiProblem
from portal.blueprints.api.schemas import CartLineIn, IdempotencyHeader
from portal.services import integration

REFUSALS = ("HTTP_400", "HTTP_409", "HTTP_413", "HTTP_415")


def _bulk(body, *, in_company: bool = True):
    refusals = (*REFUSALS, "HTTP_404") if in_company else REFUSALS
    return operation("customers:write", headers=IdempotencyHeader, json=body,
                     tags=["customers"], resp={"HTTP_200": CustomerCounts},
                     status_codes=refusals)


def _items(json) -> list[dict]:
    return [item.model_dump(exclude_unset=True) for item in json.items]


def _company_or_404(company_ref: str):
    company = integration.company_by_ref(company_ref)
    if company is None:
        raise ApiProblem(404, code="not_found")
    return company


@bp.post("/companies/bulk")
@_bulk(CompaniesIn, in_company=False)
def upsert_companies(json: CompaniesIn):
    """Create or update up to 1,000 companies by external reference, all or nothing."""
    return jsonify(integration.upsert_companies(g.api_client, _items(json), now()))


@bp.post("/companies/<string:company_ref>/units/bulk")
@_bulk(UnitsIn)
def upsert_units(company_ref: str, json: UnitsIn):
    """Create or update the company's divisions and branches by reference (a parent before
    its children), all or nothing."""
    company = _company_or_404(company_ref)
    return jsonify(integration.upsert_units(g.api_client, company, _items(json),
                                            jobsites=False))


@bp.post("/companies/<string:company_ref>/jobsites/bulk")
@_bulk(JobsitesIn)
def upsert_jobsites(company_ref: str, json: JobsitesIn):
    """Create or update the company's jobsites (delivery places) by reference."""
    company = _company_or_404(company_ref)
    return jsonify(integration.upsert_units(g.api_client, company, _items(json),
                                            jobsites=True))


@bp.post("/companies/<string:company_ref>/users/bulk")
@_bulk(UsersIn)
def upsert_users(company_ref: str, json: UsersIn):
    """Create or update the company's users by reference or email; each new user gets the
    invitation to choose a password."""
    company = _company_or_404(company_ref)
    return jsonify(integration.upsert_users(g.api_client, company, _items(json)))


@bp.get("/companies")
@operation("customers:read", resp={"HTTP_200": CompanyPage}, tags=["customers"],
           status_codes=("HTTP_400",))
def list_companies(query: CompanyListQuery):
    """Every customer company in id order (new ones come last), by cursor."""
    rows, after, more = integration.companies_page(query.cursor, query.limit)
    return jsonify(data=integration.describe_companies(rows), next_cursor=after, has_more=more)


@bp.get("/companies/<string:company_ref>")
@operation("customers:read", resp={"HTTP_200": CompanyDetail}, tags=["customers"],
           status_codes=("HTTP_404",))
def get_company(company_ref: str):
    """One company by its reference, with its units, jobsites and users."""
    company = _company_or_404(company_ref)
    return jsonify(**integration.describe_companies([company])[0],
                   units=integration.describe_units(company),
                   users=integration.describe_users(company))


def _audience(kind: str, key: str):
    found = (integration.group_by_code(key) if kind == "groups"
             else integration.company_by_ref(key))
    if found is None:
        raise ApiProblem(404, code="not_found")
    return found


@bp.get("/visibility/<any(groups, companies):kind>/<string:key>")
@operation("catalog:read", resp={"HTTP_200": AssortmentOut}, tags=["catalog"],
           status_codes=("HTTP_404",))
def get_visibility(kind: str, key: str):
    """What a customer group (by code) or a company (by reference) may see: empty lists
    mean the whole catalog (a company without its own list follows its group's)."""
    return jsonify(integration.assortment(_audience(kind, key)))


@bp.put("/visibility/<any(groups, companies):kind>/<string:key>")
@operation("catalog:write", json=AssortmentIn, resp={"HTTP_200": AssortmentOut},
           tags=["catalog"], status_codes=("HTTP_400", "HTTP_404", "HTTP_415"))
def put_visibility(kind: str, key: str, json: AssortmentIn):
    """Replace the allow-list of a group or a company: category slugs and SKUs; both empty
    lifts the restriction. A product not allowed behaves as missing for its buyers."""
    return jsonify(integration.set_assortment(g.api_client, _audience(kind, key),
                                              json.categories, json.products))


@bp.post("/lists/<int:list_id>/lines")
@operation("cart:write", headers=IdempotencyHeader, json=CartLineIn, tags=["carts"],
           resp={"HTTP_200": ListLineOut},
           status_codes=("HTTP_400", "HTTP_404", "HTTP_409", "HTTP_415"))
def add_list_line(list_id: int, json: CartLineIn):
    """Add a quantity of a product to one of the company's shopping lists, with its owner's
    rules (what the owner may see, case pack and multiples)."""
    shopping_list = integration.company_list(g.api_client, list_id)
    if shopping_list is None:
        raise ApiProblem(404, code="not_found")
    line, product = integration.add_list_line(g.api_client, shopping_list, json.sku,
                                              json.quantity, json.note)
    return jsonify(list_id=shopping_list.id, sku=product.sku, quantity=line.quantity)
