"""Storefronts by host name (issue 22): each host shows its own storefront or a bare 404,
people sign in only on their company's storefront, and staff admins manage them."""

from sqlalchemy import select

from portal.extensions import db
from portal.models import Role, Storefront, StorefrontKind
from tests import factories as f
from tests.conftest import login

DIRECT = "http://direct.example.test"


def _direct(**kw) -> Storefront:
    front = Storefront(code="direct", kind=StorefrontKind.CONSUMER, name="Direct Chantier",
                       hosts="direct.example.test", prices_with_vat=True,
                       brand_colour="#7a1f1f", **kw)
    db.session.add(front)
    db.session.commit()
    return front


def test_each_host_shows_its_own_storefront(app, client):
    _direct()
    trade = client.get("/login")
    assert "Pro Fournitures" in trade.text and "Direct Chantier" not in trade.text
    direct = client.get("/login", base_url=DIRECT)
    assert direct.status_code == 200
    assert "Direct Chantier" in direct.text and "Pro Fournitures" not in direct.text
    assert "/storefront.css?v=7a1f1f" in direct.text  # its own colour
    css = client.get("/storefront.css?v=7a1f1f", base_url=DIRECT)
    assert "--brand: #7a1f1f" in css.text
    assert "immutable" in css.headers["Cache-Control"]


def test_an_unknown_host_is_a_bare_404_once_the_trade_portal_names_its_hosts(app, client):
    _direct()
    trade = db.session.get(Storefront, 1)
    trade.hosts = "portal.test"
    db.session.commit()
    from portal.services.storefronts import forget
    forget()
    unknown = client.get("/login", base_url="http://elsewhere.example")
    assert unknown.status_code == 404
    assert "Site inconnu" in unknown.text
    assert "Pro Fournitures" not in unknown.text and "Direct Chantier" not in unknown.text
    assert client.get("/login", base_url="http://portal.test").status_code == 200
    assert client.get("/healthz", base_url="http://10.0.0.7").status_code == 200  # probes


def test_a_closed_storefront_shows_nothing_in_its_place(app, client):
    _direct(active=False)
    closed = client.get("/login", base_url=DIRECT)
    assert closed.status_code == 404 and "Pro Fournitures" not in closed.text


def test_people_sign_in_only_on_their_company_storefront(app, client):
    direct = _direct()
    trade_buyer = f.user(f.company("Durand Bâtiment"), email="julien@durand.test")
    consumer = f.user(f.company("Claire Martin", storefront_id=direct.id),
                      email="claire@example.test")
    db.session.commit()
    refused = client.post("/login", base_url=DIRECT,
                          data={"email": trade_buyer.email, "password": f.PASSWORD})
    assert refused.status_code == 422
    assert "E-mail ou mot de passe incorrect" in refused.text
    refused = client.post("/login", data={"email": consumer.email, "password": f.PASSWORD})
    assert refused.status_code == 422
    signed_in = client.post("/login", base_url=DIRECT,
                            data={"email": consumer.email, "password": f.PASSWORD})
    assert signed_in.status_code == 303


def test_a_session_made_on_one_storefront_is_nobody_on_another(app, client):
    direct = _direct()
    buyer = f.user(f.company("Durand Bâtiment"))
    db.session.commit()
    login(client, buyer)
    assert client.get("/orders/").status_code == 200
    # The same cookie sent to the consumer host (a shared cookie domain, or a stolen cookie).
    cookie = client.get_cookie("session")
    client.set_cookie("session", cookie.value, domain="direct.example.test")
    answer = client.get("/orders/", base_url=DIRECT)
    assert answer.status_code in (302, 303) and "/login" in answer.headers["Location"]
    assert direct.id != 1


def test_staff_admins_create_a_storefront_and_bad_input_changes_nothing(app, client):
    admin = f.user(None, role=Role.STAFF_ADMIN, email="staff@seller.test")
    db.session.commit()
    login(client, admin)
    form = {"code": "direct", "kind": "consumer", "name": "Direct Chantier",
            "hosts": "Direct.Example.test", "language": "fr", "country": "fr",
            "currency": "EUR", "brand_colour": "#ffee00", "prices_with_vat": "1", "active": "1"}
    too_light = client.post("/staff/storefronts/new", data=form)
    assert too_light.status_code == 422
    assert "se lit mal" in too_light.text or "hard to read" in too_light.text
    assert db.session.scalar(select(Storefront).where(Storefront.code == "direct")) is None
    created = client.post("/staff/storefronts/new", data=form | {"brand_colour": "#7a1f1f"})
    assert created.status_code == 303
    front = db.session.scalar(select(Storefront).where(Storefront.code == "direct"))
    assert front.hosts == "direct.example.test" and front.country == "FR"
    assert front.prices_with_vat and front.kind == StorefrontKind.CONSUMER
    taken = client.post("/staff/storefronts/new",
                        data=form | {"code": "other", "brand_colour": "#7a1f1f"})
    assert taken.status_code == 422
    assert "appartient déjà à Direct Chantier" in taken.text
    assert db.session.scalar(select(Storefront).where(Storefront.code == "other")) is None
    listing = client.get("/staff/storefronts")
    assert "Direct Chantier" in listing.text and "Pro Fournitures" in listing.text


def test_customers_cannot_reach_the_storefront_admin(app, client):
    buyer = f.user(f.company("Durand Bâtiment"), role=Role.COMPANY_ADMIN)
    db.session.commit()
    login(client, buyer)
    assert client.get("/staff/storefronts").status_code in (403, 404)
    assert client.post("/staff/storefronts/1", data={"name": "X"}).status_code in (403, 404)
    assert db.session.get(Storefront, 1).name == "Pro Fournitures"


def test_the_customer_page_shows_orders_from_every_storefront_marked(app, client, world):
    """One customer's 360° view: its trade orders and the ones placed on another storefront
    (an employee store of the same company, say), each marked with where it came from."""
    crew = Storefront(code="crew", kind=StorefrontKind.EMPLOYEE, name="Boutique équipe",
                      hosts="crew.example.test")
    db.session.add(crew)
    db.session.flush()
    trade_order = f.order(world.a.buyer, [(world.products["cement"], 1, 850)])
    crew_order = f.order(world.a.buyer, [(world.products["screws"], 1, 100)])
    crew_order.storefront_id = crew.id
    db.session.commit()
    login(client, world.staff)
    page = client.get(f"/staff/customers/{world.a.company.id}").get_data(as_text=True)
    assert trade_order.number in page and crew_order.number in page
    # (The page also offers the store in its "employee stores" part, above the orders.)
    orders = page.split('id="orders-title"', 1)[1]
    assert orders.count("Boutique équipe") == 1


def test_a_crew_member_signs_in_on_the_employee_store_and_orders_there(app, client, world):
    """A person may belong to another storefront than their company: the crew's employee
    store. They sign in there, not on the trade portal, and their orders are its orders."""
    crew = Storefront(code="crew", kind=StorefrontKind.EMPLOYEE, name="Boutique équipe",
                      hosts="crew.example.test")
    db.session.add(crew)
    db.session.flush()
    worker = f.user(world.a.company, email="kevin@crew.test", storefront_id=crew.id)
    db.session.commit()
    refused = client.post("/login", data={"email": worker.email, "password": f.PASSWORD})
    assert refused.status_code == 422
    signed_in = client.post("/login", base_url="http://crew.example.test",
                            data={"email": worker.email, "password": f.PASSWORD})
    assert signed_in.status_code == 303
    from portal.services.storefronts import storefront_of
    assert storefront_of(worker) == crew.id and storefront_of(world.a.buyer) == 1


def test_naming_the_trade_portals_hosts_cannot_shut_staff_out(app, client, world):
    """The back office lives on the trade portal: naming its hosts without the one the staff
    member is using would make every next page a 404 for them. Refused, nothing saved."""
    login(client, world.staff)
    form = {"name": "Pro Fournitures", "hosts": "portal.example.fr", "language": "fr",
            "country": "FR", "currency": "EUR", "brand_colour": "#0b4f6c"}
    refused = client.post("/staff/storefronts/1", data=form)
    assert refused.status_code == 422 and "Ajoutez localhost" in refused.text
    assert db.session.get(Storefront, 1).hosts == ""
    saved = client.post("/staff/storefronts/1",
                        data=form | {"hosts": "portal.example.fr localhost"})
    assert saved.status_code == 303
    assert client.get("/staff/storefronts").status_code == 200
