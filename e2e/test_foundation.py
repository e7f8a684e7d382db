"""Sign-in for every demo account, language switch, password reset by email, no-JS sign-in."""

import re

import pytest
from playwright.sync_api import expect

from e2e.conftest import sign_in

DEMO = [
    ("buyer@demo.test", "Julien"),
    ("manager@demo.test", "Sophie"),
    ("admin@demo.test", "Marc"),
    ("chef@demo.test", "Camille"),
    ("dealer@demo.test", "Paul"),
    ("staff@demo.test", "Claire"),
    ("rep@demo.test", "Thomas"),
    ("warehouse@demo.test", "Karim"),
]


@pytest.mark.parametrize(("email", "first_name"), DEMO)
def test_each_demo_account_signs_in_and_lands_on_its_home(page, live_server, shot, email,
                                                          first_name):
    sign_in(page, live_server, email)
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Bonjour {first_name}")
    expect(page.get_by_role("navigation", name="Principal")).to_be_visible()
    shot(f"home-{email.split('@')[0]}")


def test_wrong_password_and_unknown_email_get_the_same_answer(page, live_server):
    sign_in_attempts = []
    for email in ("buyer@demo.test", "nobody@demo.test"):
        page.goto(live_server + "/login")
        page.get_by_label("E-mail").fill(email)
        page.get_by_label("Mot de passe").fill("not the password")
        page.get_by_role("button", name="Se connecter").click()
        sign_in_attempts.append(page.locator(".error").inner_text())
    assert sign_in_attempts[0] == sign_in_attempts[1] == "E-mail ou mot de passe incorrect."


def test_language_switch_changes_the_interface_and_is_remembered(page, live_server, shot):
    sign_in(page, live_server, "chef@demo.test")
    page.get_by_role("button", name="English").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Hello Camille")
    nav = page.get_by_role("navigation", name="Main")
    expect(nav.get_by_role("link", name="Quick order")).to_be_visible()
    shot("home-chef-english")
    page.goto(live_server + "/account/")
    expect(page.get_by_role("heading", name="My account")).to_be_visible()
    page.get_by_role("main").get_by_role("button", name="Français").click()
    expect(page.get_by_role("heading", name="Mon compte")).to_be_visible()


def test_password_reset_email_arrives_and_its_link_works_once(page, live_server, mailbox, shot):
    # The pending company's contact has no password yet: the reset link is how they get one.
    before = len(mailbox.messages)
    page.goto(live_server + "/login")
    page.get_by_role("link", name="Mot de passe oublié ?").click()
    page.get_by_label("E-mail").fill("petit@demo.test")
    page.get_by_role("button", name="Envoyer le lien").click()
    expect(page.get_by_role("heading", name="Consultez vos e-mails")).to_be_visible()
    for _ in range(100):
        if len(mailbox.messages) > before:
            break
        page.wait_for_timeout(100)
    message = mailbox.messages[-1]
    assert message["To"] == "petit@demo.test"
    link = re.search(r"http://\S+/password/set/\S+", message.get_body(("plain",)).get_content())
    assert link, "no reset link in the email"
    page.goto(link.group(0))
    shot("reset-password")
    page.get_by_label("Nouveau mot de passe", exact=True).fill("un chantier bien rangé 2026")
    page.get_by_label("Répétez le nouveau mot de passe").fill("un chantier bien rangé 2026")
    page.get_by_role("button", name="Enregistrer mon mot de passe").click()
    # Signed in at once, on their home (not the sign-in form): a pending account's bottom
    # bar offers only pages it may open.
    expect(page.get_by_text("Votre mot de passe est enregistré")).to_be_visible()
    expect(page).to_have_url(live_server + "/")
    expect(page.get_by_text("Votre compte est en cours de validation")).to_be_visible()
    bar = page.get_by_role("navigation", name="Principal")
    expect(bar.get_by_role("link", name="Commande rapide")).to_have_count(0)
    expect(bar.get_by_role("link", name="Panier")).to_have_count(0)
    for href in [a.get_attribute("href") for a in bar.get_by_role("link").all()]:
        assert page.request.get(live_server + href).status == 200, href
    page.get_by_role("link", name="Compte").click()
    page.get_by_role("button", name="Se déconnecter").click()
    sign_in(page, live_server, "petit@demo.test", "un chantier bien rangé 2026")
    expect(page.get_by_text("Votre compte est en cours de validation")).to_be_visible()
    # The same link a second time: a clear page and a way to ask again.
    page.goto(link.group(0))
    expect(page.get_by_role("heading", name="Ce lien ne fonctionne plus")).to_be_visible()
    expect(page.get_by_role("link", name="Demander un nouveau lien")).to_be_visible()


def test_sign_in_and_out_work_without_javascript(no_js_page, live_server):
    page = no_js_page
    sign_in(page, live_server, "manager@demo.test")
    expect(page.get_by_role("heading", level=1)).to_have_text("Bonjour Sophie")
    page.goto(live_server + "/account/")
    page.get_by_role("button", name="Se déconnecter").click()
    expect(page.get_by_text("Vous êtes déconnecté.")).to_be_visible()
    page.goto(live_server + "/account/")
    expect(page).to_have_url(re.compile(r"/login"))
