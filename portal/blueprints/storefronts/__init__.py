"""Storefronts on the web: the request's storefront (by host), its colours, and the back
office that manages them (services/storefronts holds the rules; portal.web.current_front
says which storefront a request is for)."""

from flask import Blueprint

bp = Blueprint("storefronts", __name__)

from portal.blueprints.storefronts import admin, logo, routes, shop  # noqa: E402,F401
