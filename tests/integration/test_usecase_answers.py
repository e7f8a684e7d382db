"""A refusal from a use case is said where it belongs: under the field it is about, read out
with it (aria-describedby), and nothing of the refused change is kept."""

from portal.models import ShoppingList, User
from tests.conftest import login

EN = {"Accept-Language": "en"}


def test_an_invitation_to_a_taken_email_is_refused_under_the_email_field(client, world):
    login(client, world.a.admin)
    before = User.query.count()
    response = client.post("/company/users/invite", headers=EN, data={
        "name": "Nina Roux", "email": world.b.buyer.email, "role": "buyer", "unit": ""})
    assert response.status_code == 422
    text = response.get_data(as_text=True)
    assert ('<p class="error" id="email-error">This email cannot be invited: it already has '
            'an account.</p>') in text
    assert 'aria-describedby="email-error"' in text
    assert 'role="alert">This email' not in text  # not repeated above the form
    assert User.query.count() == before


def test_a_list_without_a_name_is_refused_and_nothing_is_created(client, world):
    login(client, world.a.buyer)
    before = ShoppingList.query.count()
    response = client.post("/lists/new", headers=EN, data={"name": "   "})
    assert response.status_code == 422
    assert ShoppingList.query.count() == before
