"""A storefront on a path of a shared host ("/direct"), for a seller with one domain.

A storefront with a path prefix answers `<host>/<prefix>/...` on its own hosts or, when it
names none, on every host the trade portal answers; the rest of such a host stays the other
storefronts'. The request is then served as if the portal were mounted at the prefix
(portal/mounts.py), so every link, redirect and cookie carries it. The trade portal always
keeps "/".
"""

from __future__ import annotations

import re

from flask import current_app
from flask_babel import gettext as _

from portal.services.storefronts import Front, choose, normal_host

PREFIX = re.compile(r"^/[a-z0-9](?:[a-z0-9-]{0,37}[a-z0-9])?$")


def _under(path: str, prefix: str) -> bool:
    """"/direct" and "/direct/cart" are under "/direct"; "/directory" is not."""
    return path == prefix or path.startswith(prefix + "/")


def mounted(host: str, path: str, fronts: tuple[Front, ...]) -> Front | None:
    """The storefront whose prefix starts this path on this host (the longest, one that
    names the host before one that names none), else None. A closed one is returned too:
    its path must show no other storefront."""
    host, best, root = normal_host(host), None, ()
    for front in fronts:
        if not front.path_prefix or not _under(path, front.path_prefix):
            continue
        if front.hosts:
            if host not in front.hosts:
                continue
        else:
            root = choose(host, fronts) if root == () else root
            if root is None or not root.is_trade:
                continue
        key = (len(front.path_prefix), bool(front.hosts))
        if best is None or key > (len(best.path_prefix), bool(best.hosts)):
            best = front
    return best


def reserved_segments() -> tuple[set[str], list[re.Pattern]]:
    """The first path segments the portal's own routes use (read from the URL map: a new
    route reserves its segment by itself): literal ones, and patterns for those with a
    variable in them."""
    literal, patterns = set(), []
    for rule in current_app.url_map.iter_rules():
        first = rule.rule.split("/")[1] if rule.rule.count("/") else ""
        if "<" in first:
            pieces = re.split(r"<[^>]+>", first)
            patterns.append(re.compile("^" + "[^/]+".join(map(re.escape, pieces)) + "$"))
        elif first:
            literal.add(first)
    return literal, patterns


def clean_prefix(raw: str, is_trade: bool) -> str:
    """The prefix as stored ("" or "/direct"), or ValueError carrying the message."""
    prefix = (raw or "").strip().lower().rstrip("/")
    if not prefix:
        return ""
    if is_trade:
        raise ValueError(_("The trade portal answers at the root of its hosts: it takes no "
                           "path."))
    if not prefix.startswith("/"):
        prefix = "/" + prefix
    if not PREFIX.match(prefix):
        raise ValueError(_("The path is one word after a slash, in lowercase letters, digits "
                           "and dashes (for example /direct), 40 characters at most."))
    literal, patterns = reserved_segments()
    segment = prefix[1:]
    if segment in literal or any(p.match(segment) for p in patterns):
        raise ValueError(_("%(path)s is a path of the portal itself: choose another one.",
                           path=prefix))
    return prefix

