from tests.conftest import login


def test_every_world_user_can_sign_in_and_reach_home(client, world):
    login(client, world.a.buyer)
    page = client.get("/")
    assert page.status_code == 200
    assert "Company A" in page.get_data(as_text=True)
