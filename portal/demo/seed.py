"""The deterministic demo data set behind `portal seed-demo`.

`seed_demo()` fills an empty, migrated database: a distributor of construction and
hospitality supplies (3 warehouses, ~2,400 products in 52 categories, four price lists with
quantity tiers), seven customer companies with their units, jobsites, people and approval
rules, the seller's staff, shopping lists and six months of orders ending today.

Everything comes from `random.Random(42)` and fixed data; `now` (the clock, read once, unless
given) only places the order history in the six months before it. Large tables are written with bulk
`insert()` statements carrying their own primary keys (sequences are moved on PostgreSQL).
"""

from __future__ import annotations

import random
from datetime import UTC, datetime

from sqlalchemy import func, insert, select, text, update

from portal.demo import catalog as cat
from portal.demo.catalog_data import LEAF_CATEGORIES, TOP_CATEGORIES, WAREHOUSES
from portal.demo.history import HistoryBuilder
from portal.demo.people import COMPANIES, STAFF
from portal.demo.replacements import interval_of
from portal.extensions import db
from portal.models import (
    AccountApplication,
    Address,
    ApplicationStatus,
    ApprovalRequest,
    ApprovalRule,
    ApprovalStatus,
    ApprovalStep,
    AuditEntry,
    Category,
    Company,
    CompanyStatus,
    CustomerGroup,
    Order,
    OrderEvent,
    OrderLine,
    OrderStatus,
    PaymentTerms,
    PriceList,
    PriceTier,
    Product,
    RepAssignment,
    Role,
    Shipment,
    ShipmentLine,
    ShoppingList,
    ShoppingListLine,
    Stock,
    Unit,
    UnitKind,
    User,
    VisibilityRule,
    Warehouse,
)
from portal.services import credit
from portal.services.accounts import hash_password
from portal.services.selling import rate_of, tax_total

SEED = 42
AT_CREDIT_LIMIT = "Groupe Saveurs Lyonnaises"  # the chef's company: see credit_limits
DEMO_PASSWORD = "demo-password"  # noqa: S105 - published demo sign-in, see `portal demo`
DISCONTINUED_COUNT = 40
CONTRACT_PRODUCTS = 300
PRICE_LISTS = [
    # code, name, is_base, covered sector, price in basis points of the base list
    ("BASE", "Tarif général", True, None, 10000),
    ("PRO-BTP", "Tarif professionnels du BTP", False, "btp", 9200),
    ("CHR", "Tarif CHR (cafés, hôtels, restaurants)", False, "chr", 9000),
    ("CONTRAT-DURAND", "Contrat Durand Bâtiment 2026", False, None, 8500),
]
GROUPS = [
    ("BTP", "Entreprises du BTP", "PRO-BTP"),
    ("CHR", "Cafés, hôtels, restaurants", "CHR"),
    ("REVENDEURS", "Revendeurs et négociants", "BASE"),
]
# The hospitality group sees its own categories plus safety gear and cleaning; the
# construction group likewise (no food or tableware offered to a builder). Dealers see all.
CHR_VISIBLE_TOPS = ["arts-table", "cuisine", "emballages", "epicerie", "epi", "hygiene"]
BTP_VISIBLE_TOPS = [slug for slug, _, _, sector in TOP_CATEGORIES if sector in ("btp", "both")]
CONSTRUCTION_TOPS = [slug for slug, _, _, sector in TOP_CATEGORIES if sector == "btp"]
BULK_TABLES = [Product, PriceTier, Order, OrderLine, OrderEvent, Shipment, ShipmentLine,
               ApprovalRequest, AuditEntry]


def seed_demo(now: datetime | None = None) -> dict[str, int]:
    """Fill an empty, migrated database with the demo data set and commit.

    The history ends at `now` (the clock when not given); the documented scenarios hold
    whatever it is (tests/integration/test_demo_scenarios.py).
    """
    return DemoSeeder(now or datetime.now(UTC)).run()


def luhn_complete(digits: str) -> str:
    """Append the digit that makes `digits` pass the Luhn check (SIREN, SIRET)."""
    for check in "0123456789":
        candidate = digits + check
        total = 0
        for i, d in enumerate(reversed(candidate)):
            n = int(d) * (2 if i % 2 else 1)
            total += n - 9 if n > 9 else n
        if total % 10 == 0:
            return candidate
    raise ValueError(digits)


def siret(siren8: str) -> str:
    return luhn_complete(luhn_complete(siren8) + "0001")


def pack_kind(uom: str, case_pack: int) -> str:
    """What one case of a demo product is: bags of cement come on pallets, cable on drums,
    a 25 kg product in a bag, 20 l in a bucket; anything else in a carton."""
    if uom == "bag":
        return "pallet" if case_pack >= 20 else "bundle"
    return {"m": "drum", "kg": "bag", "l": "bucket"}.get(uom, "case")


def one_line(address: tuple) -> str:
    _, line1, line2, postal_code, city = address
    return ", ".join(p for p in (line1, line2, f"{postal_code} {city}") if p)


class DemoSeeder:
    def __init__(self, now: datetime):
        self.now = now
        self.rng = random.Random(SEED)
        self.counts: dict[str, int] = {}

    def run(self) -> dict[str, int]:
        if db.session.scalar(select(func.count()).select_from(Product)) or \
                db.session.scalar(select(func.count()).select_from(User)):
            raise RuntimeError("seed-demo needs an empty database (run it right after "
                               "`portal db upgrade` on a new file).")
        self.warehouses()
        self.categories()
        self.products()
        self.price_lists()
        self.stock()
        self.groups_and_visibility()
        self.password_hash = hash_password(DEMO_PASSWORD)
        self.companies()
        self.staff()
        self.approval_rules()
        self.shopping_lists()
        self.orders()
        self.move_sequences()
        from portal.demo.quotes import seed_quotes

        self.counts["quotes"] = seed_quotes(self.now)
        from portal.demo.promotions import seed_promotions

        self.counts["promotions"] = seed_promotions(self.now)
        from portal.demo.delivery import seed_delivery

        self.counts.update(seed_delivery())
        # Invoices go through the billing service (numbering, VAT per rate): after the
        # sequences moved past the bulk-inserted rows, before the limits that count them.
        from portal.demo.invoices import seed_invoices

        self.counts["invoices"] = seed_invoices(self.now, self.password_hash)
        # Proof of delivery and an open claim on Julien's last order (invoiced above).
        from portal.demo.claims import seed_claims

        self.counts.update(seed_claims(self.now))
        self.credit_limits()
        # Pictures, documents, attributes and the seller's pages (terms of sale: version 1).
        from portal.demo.content import seed_content

        self.counts.update(seed_content())
        # The employee store of Durand Bâtiment's site crew (no draws: nothing else moves).
        from portal.demo.crew import seed_crew

        self.counts.update(seed_crew(self.password_hash))
        # The consumer storefront: public prices with VAT, checkout without an account.
        from portal.demo.direct import seed_direct

        self.counts.update(seed_direct())
        # A storefront in Switzerland, in CHF: its own price list, VAT and legal mentions.
        from portal.demo.suisse import seed_suisse

        self.counts.update(seed_suisse(self.password_hash))
        # The public-sector storefront: a school canteen under its framework contract.
        from portal.demo.public import seed_public

        self.counts.update(seed_public(self.now, self.password_hash, siret("21690266")))
        # Bulk inserts bypass the ORM hooks that keep the search index and the bought
        # products in step.
        from portal.services import orders as order_search
        from portal.services.catalog import rebuild_search_index
        from portal.services.ordering import rebuild_bought

        rebuild_search_index()
        order_search.refresh()
        rebuild_bought(db.session, self.now)
        db.session.commit()
        return self.counts

    # ------------------------------------------------------------------ catalog
    def warehouses(self) -> None:
        self.warehouse_by_code = {}
        for code, name, city in WAREHOUSES:
            w = Warehouse(code=code, name=name, city=city)
            db.session.add(w)
            self.warehouse_by_code[code] = w
        db.session.flush()
        self.counts["warehouses"] = len(WAREHOUSES)

    def categories(self) -> None:
        self.category_id: dict[str, int] = {}
        self.top_of: dict[str, str] = {}
        self.sector_of: dict[str, str] = {}
        for position, (slug, fr, en, sector) in enumerate(TOP_CATEGORIES):
            c = Category(slug=slug, name_fr=fr, name_en=en, position=position)
            db.session.add(c)
            db.session.flush()
            self.category_id[slug] = c.id
            self.sector_of[slug] = sector
        positions: dict[str, int] = {}
        for slug, parent, fr, en in LEAF_CATEGORIES:
            positions[parent] = positions.get(parent, -1) + 1
            c = Category(slug=slug, name_fr=fr, name_en=en, position=positions[parent],
                         parent_id=self.category_id[parent])
            db.session.add(c)
            self.top_of[slug] = parent
        db.session.flush()
        for c in db.session.scalars(select(Category)):
            self.category_id[c.slug] = c.id
        self.counts["categories"] = len(TOP_CATEGORIES) + len(LEAF_CATEGORIES)

    def products(self) -> None:
        specs = cat.build_products(self.rng)
        cat.choose_discontinued(self.rng, specs, DISCONTINUED_COUNT)
        first_id = _next_id(Product)
        self.specs = specs
        self.product_id = {p.sku: first_id + i for i, p in enumerate(specs)}
        rows = []
        for p in specs:
            rows.append({
                "id": self.product_id[p.sku],
                "sku": p.sku,
                "gtin": p.gtin,
                "name_fr": p.name_fr,
                "name_en": p.name_en,
                "description_fr": p.description_fr,
                "description_en": p.description_en,
                "brand": p.brand,
                "category_id": self.category_id[p.category],
                "uom": p.uom,
                "case_pack": p.case_pack,
                "pack_kind": pack_kind(p.uom, p.case_pack),
                "order_multiple": p.order_multiple,
                "lead_time_days": p.lead_time_days,
                "discontinued": p.discontinued,
                "replacement_id": None,
                "active": True,
                "tax_class": self.tax_class_of(p),
                "service_interval_months": interval_of(p.sku),
                "search_text": cat.search_text(p.sku, p.gtin, p.name_fr, p.name_en, p.brand,
                                               p.description_fr, p.description_en),
            })
        _bulk_insert(Product, rows)
        db.session.execute(update(Product), [
            {"id": self.product_id[p.sku], "replacement_id": self.product_id[p.replacement_sku]}
            for p in specs if p.replacement_sku
        ])
        self.counts["products"] = len(specs)
        self.counts["discontinued"] = sum(p.discontinued for p in specs)

    def price_lists(self) -> None:
        self.list_id: dict[str, int] = {}
        for code, name, is_base, _, _ in PRICE_LISTS:
            pl = PriceList(code=code, name=name, currency="EUR", is_base=is_base)
            db.session.add(pl)
            db.session.flush()
            self.list_id[code] = pl.id

        base = {p.sku: cat.base_tiers(p.unit_price_cents, p.order_multiple, p.case_pack)
                for p in self.specs}
        # Durand's contract: 300 construction products, the ones it buys most first.
        construction = [p for p in self.specs if self.top_of[p.category] in CONSTRUCTION_TOPS
                        and not p.discontinued]
        core = [p for p in construction if self.top_of[p.category] in
                ("gros-oeuvre", "quincaillerie")]
        contract = self.rng.sample(core, 180)
        picked = {p.sku for p in contract}
        contract += self.rng.sample([p for p in construction if p.sku not in picked],
                                    CONTRACT_PRODUCTS - len(contract))
        contract_skus = {p.sku for p in contract}

        self.prices: dict[int, dict[int, list[tuple[int, int]]]] = {}
        rows = []
        next_id = _next_id(PriceTier)
        for code, _, _, sector, bp in PRICE_LISTS:
            list_id = self.list_id[code]
            table = self.prices[list_id] = {}
            for p in self.specs:
                product_sector = self.sector_of[self.top_of[p.category]]
                if code == "CONTRAT-DURAND":
                    covered = p.sku in contract_skus
                elif sector is None:
                    covered = True
                else:
                    covered = product_sector in (sector, "both")
                if not covered:
                    continue
                tiers = cat.discounted(base[p.sku], bp)
                pid = self.product_id[p.sku]
                table[pid] = tiers
                for min_qty, cents in tiers:
                    rows.append({"id": next_id, "price_list_id": list_id, "product_id": pid,
                                 "min_qty": min_qty, "unit_price_cents": cents})
                    next_id += 1
        _bulk_insert(PriceTier, rows)
        self.counts["price_lists"] = len(PRICE_LISTS)
        self.counts["price_tiers"] = len(rows)

    def stock(self) -> None:
        codes = [code for code, _, _ in WAREHOUSES]
        levels = cat.stock_levels(self.rng, self.specs, len(codes))
        self.stock_total: dict[int, int] = {}
        rows = []
        for p, row in zip(self.specs, levels, strict=True):
            pid = self.product_id[p.sku]
            self.stock_total[pid] = sum(row)
            for code, qty in zip(codes, row, strict=True):
                rows.append({"product_id": pid, "warehouse_id": self.warehouse_by_code[code].id,
                             "quantity": qty})
        _bulk_insert(Stock, rows)
        self.counts["stock_rows"] = len(rows)
        self.counts["out_of_stock"] = sum(1 for v in self.stock_total.values() if v == 0)

    def groups_and_visibility(self) -> None:
        self.group_id: dict[str, int] = {}
        for code, name, list_code in GROUPS:
            g = CustomerGroup(code=code, name=name, price_list_id=self.list_id[list_code])
            db.session.add(g)
            db.session.flush()
            self.group_id[code] = g.id
        for code, tops in (("CHR", CHR_VISIBLE_TOPS), ("BTP", BTP_VISIBLE_TOPS)):
            for slug in tops:
                db.session.add(VisibilityRule(customer_group_id=self.group_id[code],
                                              category_id=self.category_id[slug]))
        db.session.flush()

    # ------------------------------------------------------------------ accounts
    def _address(self, company_id: int, address: tuple, is_billing: bool = False) -> Address:
        label, line1, line2, postal_code, city = address
        a = Address(company_id=company_id, label=label, line1=line1, line2=line2,
                    postal_code=postal_code, city=city, country="FR", is_billing=is_billing)
        db.session.add(a)
        db.session.flush()
        return a

    def companies(self) -> None:
        self.company_rt: dict[str, dict] = {}
        self.user_id: dict[str, int] = {}
        self.unit_id: dict[tuple[str, str], int] = {}
        jobsite_count = 0
        for spec in COMPANIES:
            company = Company(
                name=spec["name"], legal_id=siret(spec["siren"]), trade=spec["trade"],
                status=CompanyStatus(spec["status"]),
                customer_group_id=self.group_id[spec["group"]] if spec["group"] else None,
                price_list_id=self.list_id[spec["contract"]] if spec.get("contract") else None,
                currency="EUR", language="fr", payment_terms=PaymentTerms(spec["payment_terms"]),
                credit_limit_cents=spec["credit_limit_cents"], po_required=spec["po_required"],
                po_rule=spec.get("po_rule", "ask"), phone=spec["phone"],
            )
            db.session.add(company)
            db.session.flush()
            self._address(company.id, spec["address"], is_billing=True)
            jobsites = {}
            for u in spec["units"]:
                address = self._address(company.id, u["address"]) if "address" in u else None
                contact, phone = u.get("contact", ("", ""))
                unit = Unit(
                    company_id=company.id, kind=UnitKind(u["kind"]), name=u["name"],
                    parent_id=self.unit_id[(spec["key"], u["parent"])] if u.get("parent")
                    else None,
                    budget_cents=u.get("budget_cents"),
                    address_id=address.id if address else None,
                    project_code=u.get("project_code", ""), site_contact_name=contact,
                    site_contact_phone=phone, delivery_window=u.get("window", ""),
                    delivery_notes=u.get("notes", ""), archived=False,
                )
                db.session.add(unit)
                db.session.flush()
                self.unit_id[(spec["key"], u["key"])] = unit.id
                if u["kind"] == "jobsite":
                    jobsite_count += 1
                    jobsites[u["key"]] = {
                        "id": unit.id, "name": u["name"], "parent_id": unit.parent_id,
                        "ship_to": one_line(u["address"]), "contact": contact, "phone": phone,
                        "window": u.get("window", ""), "notes": u.get("notes", ""),
                    }
            users = []
            for u in spec["users"]:
                user = User(
                    email=u["email"], name=u["name"], company_id=company.id, role=Role(u["role"]),
                    unit_id=self.unit_id[(spec["key"], u["unit"])] if u.get("unit") else None,
                    order_limit_cents=u.get("order_limit_cents"),
                    monthly_budget_cents=u.get("monthly_budget_cents"), language="fr",
                    phone=u["phone"],
                    password_hash=self.password_hash if u.get("password", True) else "",
                    last_jobsite_id=self.unit_id[(spec["key"], u["last_jobsite"])]
                    if u.get("last_jobsite") else None,
                )
                db.session.add(user)
                db.session.flush()
                self.user_id[u["key"]] = user.id
                users.append({
                    "id": user.id, "key": u["key"], "name": u["name"], "phone": u["phone"],
                    "unit_id": user.unit_id, "order_limit_cents": u.get("order_limit_cents"),
                    "orders": u["orders"], "jobsites": u["jobsites"],
                    "monthly_budget_cents": u.get("monthly_budget_cents"),
                    # Their newest orders are scripted: history draws stay a week older.
                    "recent_scripted": u["key"] in ("julien", "paul"),
                })
            if "application" in spec:
                app = spec["application"]
                db.session.add(AccountApplication(
                    company_id=company.id, contact_name=app["contact_name"],
                    contact_email=app["contact_email"], contact_phone=app["contact_phone"],
                    message=app["message"], status=ApplicationStatus.PENDING))
            chain = [self.list_id[spec["contract"]]] if spec.get("contract") else []
            if spec["group"]:
                group_list = dict((g, lc) for g, _, lc in GROUPS)[spec["group"]]
                chain.append(self.list_id[group_list])
            if self.list_id["BASE"] not in chain:
                chain.append(self.list_id["BASE"])
            self.company_rt[spec["key"]] = {
                "id": company.id, "key": spec["key"], "name": spec["name"], "spec": spec,
                "status": spec["status"], "chain": chain, "users": users, "jobsites": jobsites,
                "warehouse": spec.get("warehouse", "LYO"), "profile": spec.get("profile"),
                "payment_terms": PaymentTerms(spec["payment_terms"]),
                "ship_to": one_line(spec["address"]),
                "sector": "chr" if spec["group"] == "CHR" else "btp",
                "has_rules": spec["key"] == "durand",
            }
        db.session.flush()
        self.counts["companies"] = len(COMPANIES)
        self.counts["jobsites"] = jobsite_count

    def staff(self) -> None:
        self.staff_rt = {}
        for s in STAFF:
            user = User(email=s["email"], name=s["name"], company_id=None, role=Role(s["role"]),
                        language="fr", phone=s["phone"], password_hash=self.password_hash)
            db.session.add(user)
            db.session.flush()
            self.user_id[s["key"]] = user.id
            self.staff_rt[s["key"]] = {"id": user.id, "name": s["name"]}
            for company_key in s.get("assigned", []):
                db.session.add(RepAssignment(rep_id=user.id,
                                             company_id=self.company_rt[company_key]["id"]))
        db.session.flush()
        self.counts["users"] = db.session.scalar(select(func.count()).select_from(User))

    def approval_rules(self) -> None:
        durand = self.company_rt["durand"]
        over_limit = ApprovalRule(company_id=durand["id"], unit_id=None,
                                  name="Dépassement du plafond", active=True, position=0,
                                  when_over_order_limit=True)
        over_limit.steps.append(ApprovalStep(position=0, approver_role=Role.APPROVER))
        large = ApprovalRule(company_id=durand["id"], unit_id=None, name="Commandes importantes",
                             active=True, position=1, min_total_cents=500_000)
        large.steps.append(ApprovalStep(position=0, approver_role=Role.APPROVER))
        large.steps.append(ApprovalStep(position=1, approver_role=Role.COMPANY_ADMIN))
        db.session.add_all([over_limit, large])
        db.session.flush()
        self.rule_id = {"limit": over_limit.id, "large": large.id}
        durand["approver"] = {"id": self.user_id["sophie"], "name": "Sophie Durand",
                              "unit_id": self.unit_id[("durand", "lyon")]}

    # ------------------------------------------------------------------ lists
    def _products_in(self, leaves: list[str]) -> list[cat.ProductSpec]:
        return [p for p in self.specs if p.category in leaves and not p.discontinued]

    def _list(self, owner: str, company: str, name: str, shared: bool, unit: str | None,
              leaves: list[str], count: int, notes: dict[int, str]) -> int:
        sl = ShoppingList(company_id=self.company_rt[company]["id"], owner_id=self.user_id[owner],
                          name=name, shared=shared,
                          unit_id=self.unit_id[(company, unit)] if unit else None)
        for position, p in enumerate(self.rng.sample(self._products_in(leaves), count)):
            steps = self.rng.choice([1, 1, 2, 3, 4])
            qty = p.order_multiple * steps if p.order_multiple > 1 else \
                self.rng.choice([p.case_pack, steps * 5, steps])
            sl.lines.append(ShoppingListLine(product_id=self.product_id[p.sku], quantity=qty,
                                             note=notes.get(position, ""), position=position))
        db.session.add(sl)
        return count

    def shopping_lists(self) -> None:
        lines = self._list("julien", "durand", "Chantier Confluence – gros œuvre", True,
                           "confluence",
                           ["ciment-mortier", "blocs-cloisons", "acier-armatures",
                            "bois-panneaux"], 12,
                           {0: "Pour la dalle du R+2", 3: "Réserve chantier, à stocker au sec",
                            7: "Vérifier avec Karim avant de commander"})
        lines += self._list("julien", "durand", "Consommables", False, None,
                            ["gants", "forets-abrasifs", "vis-chevilles", "fixations-colles",
                             "preparation", "papier-essuyage"], 8,
                            {1: "Taille L pour l'équipe gros œuvre"})
        lines += self._list("chef", "saveurs", "Mise en place hebdo", True, "k_bellecour",
                            ["condiments", "feculents", "films-papiers", "produits-entretien",
                             "vente-emporter", "conserves", "cafe-the"], 15,
                            {0: "Commander le jeudi pour le week-end",
                             4: "Marque habituelle uniquement"})
        db.session.flush()
        self.counts["shopping_lists"] = 3
        self.counts["shopping_list_lines"] = lines

    def credit_limits(self) -> None:
        """Limits that fit the history: each company's open orders on account stay well
        within it, except the restaurant group's, which is at its limit: its order on credit
        hold did not fit (at most 150 EUR were left before it), so that staff see why it
        waits and a chef's next order shows the credit check before it is placed."""
        for company in db.session.scalars(select(Company).where(
                Company.credit_limit_cents.is_not(None))):
            exposure = credit.exposure_cents(company.id)
            if company.name == AT_CREDIT_LIMIT:
                held = db.session.scalars(select(Order).where(
                    Order.company_id == company.id,
                    Order.status == OrderStatus.CREDIT_HOLD)).first()
                before = credit.exposure_cents(company.id, excluding=held.id if held else None)
                left = min(15_000, held.total_cents // 2) if held else 10_000
                company.credit_limit_cents = (before + left) // 100 * 100
            elif exposure * 10 > company.credit_limit_cents * 8:
                company.credit_limit_cents = -(-exposure * 3 // 2 // 100_000) * 100_000
        db.session.flush()

    def tax_class_of(self, spec: cat.ProductSpec) -> str:
        """Dry groceries are food: the reduced rate (5.5 % in France); the rest is standard."""
        return "reduced" if self.top_of[spec.category] == "epicerie" else "standard"

    # ------------------------------------------------------------------ orders
    def _order_context(self) -> tuple[list[dict], list[dict]]:
        products = []
        for p in self.specs:
            pid = self.product_id[p.sku]
            products.append({
                "id": pid, "sku": p.sku, "name_fr": p.name_fr, "name_en": p.name_en,
                "order_multiple": p.order_multiple, "case_pack": p.case_pack,
                "unit_price_cents": p.unit_price_cents, "top": self.top_of[p.category],
                "discontinued": p.discontinued,
                "replacement_id": self.product_id.get(p.replacement_sku or ""),
                "stock_total": self.stock_total[pid],
                "tax_rate_bp": rate_of(self.tax_class_of(p)),
            })
        companies = []
        for rt in self.company_rt.values():
            if rt["status"] != "active":
                continue
            tops = rt["profile"]["tops"]
            visible = CHR_VISIBLE_TOPS if rt["sector"] == "chr" else None
            eligible = [p for p in products if p["top"] in tops
                        and (visible is None or p["top"] in visible)]
            favorites = []
            for top, weight in tops.items():
                pool = [p for p in eligible if p["top"] == top]
                favorites += self.rng.sample(pool, min(len(pool), weight * 12))
            rt["eligible"], rt["favorites"] = eligible, favorites
            companies.append(rt)
        return products, companies

    def orders(self) -> None:
        products, companies = self._order_context()
        warehouses = {code: {"id": w.id, "name": w.name}
                      for code, w in self.warehouse_by_code.items()}
        builder = HistoryBuilder(self.rng, self.now, products, self.prices, companies,
                                 self.staff_rt, self.rule_id, warehouses)
        drafts = builder.build()

        order_id, line_id = _next_id(Order), _next_id(OrderLine)
        event_id, shipment_id = _next_id(OrderEvent), _next_id(Shipment)
        shipment_line_id, request_id = _next_id(ShipmentLine), _next_id(ApprovalRequest)
        audit_id, audits = _next_id(AuditEntry), []
        po_counters: dict[str, int] = {}
        orders, lines, events, shipments, shipment_lines, requests = [], [], [], [], [], []
        for seq, d in enumerate(drafts, start=1):
            company, user, site = d.company, d.user, d.jobsite
            profile = company["profile"]
            po = ""
            if d.wants_po and profile.get("po_prefix"):
                n = po_counters.get(company["key"], profile.get("po_start", 1))
                po_counters[company["key"]] = n + 1
                po = f"{profile['po_prefix']}{n}"
            subtotal = d.subtotal
            tax = tax_total((line.product["tax_rate_bp"], line.total) for line in d.lines)
            orders.append({
                "id": order_id,
                "number": f"CMD-{d.placed_at.year}-{seq:06d}",
                "company_id": company["id"],
                "unit_id": user["unit_id"] or (site["parent_id"] if site else None),
                "jobsite_id": site["id"] if site else None,
                "ship_to": site["ship_to"] if site else company["ship_to"],
                "site_contact": f"{site['contact']}, {site['phone']}" if site
                else f"{user['name']}, {user['phone']}",
                "delivery_window": site["window"] if site else "",
                "delivery_notes": site["notes"] if site else "",
                "placed_by_id": user["id"],
                "on_behalf_by_id": d.on_behalf_by_id,
                "po_number": po,
                "requested_date": d.requested_date,
                "notes": d.notes,
                "payment_terms": company["payment_terms"],
                "currency": "EUR",
                "subtotal_cents": subtotal,
                "tax_cents": tax,
                "total_cents": subtotal + tax,
                "status": d.status,
                "content_version": 1,
                "submit_token": None,
                "placed_at": d.placed_at,
                "updated_at": d.events[-1][0],
            })
            first_line_id = line_id
            for position, line in enumerate(d.lines):
                lines.append({
                    "id": line_id, "order_id": order_id, "position": position,
                    "product_id": line.product["id"], "sku": line.product["sku"],
                    "name": line.product["name_fr"], "name_en": line.product["name_en"],
                    "quantity": line.quantity,
                    "unit_price_cents": line.unit_price_cents, "line_total_cents": line.total,
                    "tax_rate_bp": line.product["tax_rate_bp"], "note": "",
                    "shipped_qty": line.shipped_qty,
                    "backordered_qty": line.backordered_qty,
                    "backorder_date": line.backorder_date,
                })
                line_id += 1
            for at, actor, kind, status, what in d.events:
                code, params = what if isinstance(what, tuple) else (None, None)
                if code == "awaiting_payment":  # the proforma's figures, known only here
                    params = {"amount": subtotal + tax, "currency": "EUR",
                              "reference": orders[-1]["number"]}
                events.append({"id": event_id, "order_id": order_id, "at": at,
                               "actor_id": actor, "kind": kind, "status": status,
                               "code": code, "params": params,
                               "message": what if isinstance(what, str) else ""})
                event_id += 1
            for s in d.shipments:
                shipments.append({"id": shipment_id, "order_id": order_id,
                                  "warehouse_id": s["warehouse_id"], "carrier": s["carrier"],
                                  "tracking_number": s["tracking"], "shipped_at": s["shipped_at"],
                                  "created_by_id": self.staff_rt["karim"]["id"]})
                for index in s["lines"]:
                    shipment_lines.append({"id": shipment_line_id, "shipment_id": shipment_id,
                                           "order_line_id": first_line_id + index,
                                           "quantity": d.lines[index].quantity})
                    shipment_line_id += 1
                shipment_id += 1
            for r in d.approvals:
                requests.append({
                    "id": request_id, "order_id": order_id, "company_id": company["id"],
                    "step": r["step"], "rule_id": r["rule"], "approver_role": r["role"],
                    "approver_unit_id": r["unit_id"], "approver_user_id": None,
                    "reason": r["reason"], "reason_data": r.get("reason_data"),
                    "status": r["status"], "content_version": 1,
                    "decided_by_id": r["decided_by_id"], "decided_at": r["decided_at"],
                    "comment": r["comment"], "created_at": r["created_at"], "reminded_at": None,
                })
                if r["status"] in (ApprovalStatus.APPROVED, ApprovalStatus.REJECTED):
                    # The company admin's journal reads decisions from the audit log.
                    action = "approval.approve" if r["status"] == ApprovalStatus.APPROVED \
                        else "approval.reject"
                    audits.append({
                        "id": audit_id, "at": r["decided_at"], "company_id": company["id"],
                        "actor_id": r["decided_by_id"], "acting_staff_id": None,
                        "action": action, "object_type": "approval_requests",
                        "object_id": request_id,
                        "detail": {"order": orders[-1]["number"], "step": r["step"],
                                   "comment": r["comment"]}})
                    audit_id += 1
                request_id += 1
            order_id += 1

        for model, rows in ((Order, orders), (OrderLine, lines), (OrderEvent, events),
                            (Shipment, shipments), (ShipmentLine, shipment_lines),
                            (ApprovalRequest, requests), (AuditEntry, audits)):
            _bulk_insert(model, rows)
        self.counts.update(orders=len(orders), order_lines=len(lines), order_events=len(events),
                           shipments=len(shipments), approval_requests=len(requests))

    # ------------------------------------------------------------------ PostgreSQL
    def move_sequences(self) -> None:
        """Rows were inserted with explicit ids: move PostgreSQL's sequences past them."""
        if db.session.get_bind().dialect.name != "postgresql":
            return
        for model in BULK_TABLES:
            table = model.__tablename__
            db.session.execute(
                text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608
                     f"(SELECT COALESCE(MAX(id), 1) FROM {table}))")
            )


def _bulk_insert(model, rows: list[dict]) -> None:
    """One executemany per table. The Core insert of the mapped table keeps every key of every
    row (the ORM bulk path drops None values and splits the batch on each change of shape)."""
    if rows:
        db.session.execute(insert(model.__table__), rows)


def _next_id(model) -> int:
    return (db.session.scalar(select(func.max(model.id))) or 0) + 1
