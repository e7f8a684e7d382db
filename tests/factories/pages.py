"""Reading what a page answered: its main content, the product rows, the checkout token."""

import re

TOKEN = re.compile(r'name="token" value="([^"]+)"')


def main_of(response) -> str:
    """The page's <main> (or the whole fragment), without per-request tokens."""
    html = response.get_data(as_text=True)
    if '<main id="main"' in html:
        html = html.split('<main id="main"', 1)[1].split("</main>", 1)[0]
    return re.sub(r'value="[^"]*\.[^"]*\.[^"]*"', 'value="TOKEN"', html)


def row_ids(html: str) -> list[int]:
    """The product ids of a catalog or search page, in the order shown."""
    return [int(x) for x in re.findall(r'<article id="p-(\d+)"', html)]


def checkout_token(client) -> str:
    """The one-time token of the signed-in buyer's checkout form."""
    page = client.get("/checkout/")
    assert page.status_code == 200, page.status_code
    found = TOKEN.search(page.get_data(as_text=True))
    assert found
    return found.group(1)
