"""Rows of the customer side: companies, their units and jobsites, users, staff, rules."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

import bench
from bench import words
from bench.catalog_data import (
    BTP_GROUP,
    CHR_GROUP,
    CONTRACT_LISTS,
    FIRST_CONTRACT_LIST,
    Catalog,
    Scale,
)

STAFF_REPS = 10
STAFF_FULFILMENT = 5


@dataclass
class Company:
    id: int
    name: str
    status: str
    group: int
    language: str
    terms: str
    po_required: bool
    contract_list: int | None = None
    jobsites: list[int] = field(default_factory=list)
    jobsite_branch: dict[int, int] = field(default_factory=dict)  # jobsite -> branch
    branch_division: dict[int, int] = field(default_factory=dict)
    branches: list[int] = field(default_factory=list)
    orderers: list[int] = field(default_factory=list)  # buyers, then approvers and admin
    buyers: list[int] = field(default_factory=list)
    approvers: list[int] = field(default_factory=list)
    approver_unit: dict[int, int | None] = field(default_factory=dict)
    admin: int | None = None
    user_branch: dict[int, int] = field(default_factory=dict)
    pool: list[int] = field(default_factory=list)
    limit_rule: int | None = None
    ship_to: dict[int, str] = field(default_factory=dict)  # jobsite -> address line

    @property
    def orders_allowed(self) -> bool:
        return self.status in ("active", "suspended")


@dataclass
class People:
    companies: list[Company] = field(default_factory=list)
    fulfilment: list[int] = field(default_factory=list)
    staff_admin: int = 0
    named: dict[str, int] = field(default_factory=dict)


class Ids:
    def __init__(self):
        self._next: dict[str, int] = {}

    def __call__(self, table: str) -> int:
        value = self._next.get(table, 1)
        self._next[table] = value + 1
        return value


def _company_name(rng, group: int, n: int) -> str:
    first = words.COMPANY_FIRST[rng.randrange(len(words.COMPANY_FIRST))]
    trade = words.COMPANY_CHR if group == CHR_GROUP else words.COMPANY_BTP
    kind = trade[rng.randrange(len(trade))]
    return f"{kind} {first} {n}" if group == CHR_GROUP else f"{first} {kind} {n}"


def companies(w, rng, scale: Scale, now, ids: Ids, people: People) -> None:
    rows = []
    contracts_left = CONTRACT_LISTS
    for n in range(1, scale.companies + 1):
        big = n == 1
        group = BTP_GROUP if big or rng.random() < 0.7 else CHR_GROUP
        roll = rng.random()
        status = "active" if big or roll < 0.94 else (
            "pending" if roll < 0.96 else "suspended" if roll < 0.98 else "rejected")
        c = Company(ids("companies"), bench.BIG_COMPANY if big else _company_name(rng, group, n),
                    status, group, "en" if rng.random() < 0.1 else "fr",
                    rng.choice(("net30", "net30", "net60", "prepay", "net90")),
                    not big and rng.random() < 0.2)
        if status == "active" and contracts_left:
            c.contract_list = FIRST_CONTRACT_LIST + CONTRACT_LISTS - contracts_left
            contracts_left -= 1
        people.companies.append(c)
        created = now - timedelta(days=1100 if big else 740)
        rows.append((c.id, c.name, f"{rng.randrange(10**13, 10**14)}",
                     "Bâtiment" if group == BTP_GROUP else "Restauration", c.status, group,
                     c.contract_list, "EUR", c.language, c.terms,
                     rng.choice((None, 5_000_000, 2_000_000, 10_000_000)), w.flag(c.po_required),
                     (f"04 7{rng.randrange(10)} {rng.randrange(10, 99)} {rng.randrange(10, 99)} "
                     f"{rng.randrange(10, 99)}"), w.ts(created)))
    w.write("companies", ("id", "name", "legal_id", "trade", "status", "customer_group_id",
                          "price_list_id", "currency", "language", "payment_terms",
                          "credit_limit_cents", "po_required", "phone", "created_at"), rows)


class UnitBuilder:
    """Addresses and units of every company, written in batches."""

    def __init__(self, w, rng, ids: Ids):
        self.w, self.rng, self.ids = w, rng, ids
        self.addresses, self.units = [], []

    def address(self, company: Company, label: str, billing: bool = False) -> tuple[int, str]:
        rng = self.rng
        city, postal = words.CITIES[rng.randrange(len(words.CITIES))]
        line1 = f"{rng.randrange(1, 200)} {words.STREETS[rng.randrange(len(words.STREETS))]}"
        aid = self.ids("addresses")
        self.addresses.append((aid, company.id, label, line1, "", postal, city, "FR",
                               self.w.flag(billing)))
        return aid, f"{line1}, {postal} {city}"

    def unit(self, company: Company, kind: str, name: str, parent: int | None) -> int:
        rng = self.rng
        uid = self.ids("units")
        address_id, jobsite = None, kind == "jobsite"
        if jobsite:
            address_id, line = self.address(company, name)
            company.ship_to[uid] = line
        first = words.FIRST_NAMES[rng.randrange(len(words.FIRST_NAMES))]
        last = words.LAST_NAMES[rng.randrange(len(words.LAST_NAMES))]
        self.units.append((
            uid, company.id, parent, kind, name,
            rng.choice((None, None, 1_000_000, 2_500_000)) if jobsite else None, address_id,
            f"P-{uid:05d}" if jobsite else "", f"{first} {last}" if jobsite else "",
            f"06 {rng.randrange(10, 99)} {rng.randrange(10, 99)} {rng.randrange(10, 99)} "
            f"{rng.randrange(10, 99)}" if jobsite else "",
            rng.choice(("7h-12h", "8h-16h", "6h30-11h", "")) if jobsite else "",
            rng.choice(("", "", "Portail côté rue, sonner au bungalow.", ("Grue disponible le "
                        "matin."))) if jobsite else "",
            self.w.flag(jobsite and rng.random() < 0.05)))
        return uid

    def flush(self) -> None:
        self.w.write("addresses", ("id", "company_id", "label", "line1", "line2", "postal_code",
                                   "city", "country", "is_billing"), self.addresses)
        self.w.write("units", ("id", "company_id", "parent_id", "kind", "name", "budget_cents",
                               "address_id", "project_code", "site_contact_name",
                               "site_contact_phone", "delivery_window", "delivery_notes",
                               "archived"), self.units)
        self.addresses, self.units = [], []


def _site_name(rng) -> str:
    return (f"{words.SITES[rng.randrange(len(words.SITES))]} "
            f"{words.SITE_NAMES[rng.randrange(len(words.SITE_NAMES))]}")


def units(w, rng, ids: Ids, people: People) -> None:
    builder = UnitBuilder(w, rng, ids)
    for c in people.companies:
        builder.address(c, "Siège", billing=True)
        if c.id == 1:
            divisions = [builder.unit(c, "division", f"Division {d}", None) for d in "ABC"]
        else:
            divisions = [None]
        for division in divisions:
            count = 3 if division else rng.choice((1, 1, 2, 2, 3))
            for b in range(count):
                branch = builder.unit(c, "branch", f"Agence {words.CITIES[b][0]}"
                                      + (f" {division}" if division else ""), division)
                c.branches.append(branch)
                c.branch_division[branch] = division
                for _ in range(rng.randrange(4, 6) if division else rng.randrange(1, 5)):
                    site = builder.unit(c, "jobsite", _site_name(rng), branch)
                    c.jobsites.append(site)
                    c.jobsite_branch[site] = branch
        if len(builder.units) >= 10_000:
            builder.flush()
    builder.flush()


USER_COLUMNS = ("id", "email", "name", "password_hash", "company_id", "role", "unit_id",
                "order_limit_cents", "monthly_budget_cents", "language", "phone", "disabled",
                "session_version", "last_jobsite_id", "created_at", "last_login_at")


def users(w, rng, scale: Scale, now, ids: Ids, people: People, bulk_hash: str,
          named_hash: str) -> None:
    rows = []
    created = w.ts(now - timedelta(days=735))

    def add(email, role, company=None, unit=None, limit=None, budget=None, jobsite=None,
            named=False):
        uid = ids("users")
        first = words.FIRST_NAMES[rng.randrange(len(words.FIRST_NAMES))]
        last = words.LAST_NAMES[rng.randrange(len(words.LAST_NAMES))]
        rows.append((uid, email or f"u{uid}@c{company.id if company else 0}.bench.test",
                     f"{first} {last}", named_hash if named else bulk_hash,
                     company.id if company else None, role, unit, limit, budget, None, "",
                     w.flag(False), 1, jobsite, created, None))
        return uid

    people.staff_admin = add(bench.STAFF_ADMIN, "staff_admin", named=True)
    reps = [add(None, "sales_rep") for _ in range(STAFF_REPS)]
    people.fulfilment = [add(bench.WAREHOUSE, "fulfilment", named=True)]
    people.fulfilment += [add(None, "fulfilment") for _ in range(STAFF_FULFILMENT - 1)]
    staff = 1 + STAFF_REPS + STAFF_FULFILMENT
    # Companies that never got an account have only their applicant; the rest share the users.
    active = [c for c in people.companies if c.id != 1 and c.orders_allowed]
    inactive = len(people.companies) - 1 - len(active)
    per_company, extra = divmod(scale.users - staff - scale.big_users - inactive, len(active))
    seen_active = 0
    for c in people.companies:
        if c.id == 1:
            _big_company_users(c, add, scale, people)
            continue
        if not c.orders_allowed:
            c.admin = add(None, "company_admin", c)
            continue
        count = per_company + (1 if seen_active < extra else 0)
        seen_active += 1
        c.admin = add(None, "company_admin", c)
        approvers = 2 if count > 8 else 1
        for _ in range(approvers):
            uid = add(None, "approver", c)
            c.approvers.append(uid)
            c.approver_unit[uid] = None
        for _ in range(count - approvers - 2):
            branch = c.branches[rng.randrange(len(c.branches))]
            sites = [s for s in c.jobsites if c.jobsite_branch[s] == branch] or c.jobsites
            uid = add(None, "buyer", c, unit=branch,
                      limit=rng.choice((None, 100_000, 200_000, 50_000)),
                      budget=rng.choice((None, None, 1_000_000)), jobsite=sites[0])
            c.buyers.append(uid)
            c.user_branch[uid] = branch
        add(None, "viewer", c)
        c.orderers = c.buyers + c.approvers + [c.admin]
    _flush_users(w, rows)
    rep_rows = [(i + 1, reps[i % len(reps)], c.id) for i, c in enumerate(people.companies)]
    w.write("rep_assignments", ("id", "rep_id", "company_id"), rep_rows)


def _big_company_users(c: Company, add, scale: Scale, people: People) -> None:
    """Bench Big Co: the named accounts, an approver per division, many buyers."""
    division_of = c.branch_division
    first_branch = c.branches[0]
    first_site = next(s for s in c.jobsites if c.jobsite_branch[s] == first_branch)
    c.admin = add("bench-admin@bench.test", "company_admin", c, named=True)
    buyer = add(bench.BUYER, "buyer", c, unit=first_branch, limit=200_000, jobsite=first_site,
                named=True)
    approver = add(bench.APPROVER, "approver", c, unit=division_of[first_branch], named=True)
    viewer = add(bench.VIEWER, "viewer", c, named=True)
    people.named.update({bench.BUYER: buyer, bench.APPROVER: approver, bench.VIEWER: viewer})
    c.buyers.append(buyer)
    c.user_branch[buyer] = first_branch
    c.approvers.append(approver)
    c.approver_unit[approver] = division_of[first_branch]
    for division in sorted({d for d in division_of.values()})[1:]:
        uid = add(None, "approver", c, unit=division)
        c.approvers.append(uid)
        c.approver_unit[uid] = division
    remaining = scale.big_users - 3 - len(c.approvers)
    for n in range(remaining):
        if n % 8 == 7:
            add(None, "viewer", c)
            continue
        branch = c.branches[n % len(c.branches)]
        site = next(s for s in c.jobsites if c.jobsite_branch[s] == branch)
        uid = add(None, "buyer", c, unit=branch, limit=150_000, jobsite=site)
        c.buyers.append(uid)
        c.user_branch[uid] = branch
    c.orderers = c.buyers + c.approvers + [c.admin]


def _flush_users(w, rows) -> None:
    for start in range(0, len(rows), 10_000):
        w.write("users", USER_COLUMNS, rows[start:start + 10_000])


def pools(rng, scale: Scale, cat: Catalog, people: People) -> None:
    """The products each company keeps buying (its reorders, lists and carts come from it)."""
    everything = range(1, cat.count + 1)
    for c in people.companies:
        if not c.orders_allowed:
            continue
        source = cat.chr_visible if c.group == CHR_GROUP else everything
        size = min(scale.big_pool if c.id == 1 else scale.pool, len(source))
        c.pool = rng.sample(source, size)
