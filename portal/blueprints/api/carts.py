"""A customer's procurement system puts lines into one of its users' carts, with the same
rules as the user's own tap (visibility, price, case pack and multiples)."""

from flask import g, jsonify

from portal.blueprints.api import bp
from portal.blueprints.api.operations import operation
from portal.blueprints.api.problems import ApiProblem
from portal.blueprints.api.schemas import CartLineIn, CartLineOut, IdempotencyHeader
from portal.services import integration


@bp.post("/users/<int:user_id>/cart/lines")
@operation("cart:write", headers=IdempotencyHeader, json=CartLineIn, tags=["carts"],
           resp={"HTTP_200": CartLineOut},
           status_codes=("HTTP_400", "HTTP_404", "HTTP_409", "HTTP_415"))
def add_cart_line(user_id: int, json: CartLineIn):
    """Add a quantity of a product to this user's cart (a user of the token's company)."""
    user = integration.company_user(g.api_client, user_id)
    if user is None:
        raise ApiProblem(404, code="not_found")
    line = integration.add_cart_line(g.api_client, user, json.sku, json.quantity, json.note)
    return jsonify(user_id=user.id, sku=json.sku.upper(), quantity=line.quantity)
