"""Fetching a file named by an https URL (the CSV import of media) without letting the URL
reach inside the network (SSRF).

The host is resolved once and every address it resolves to must be public (not loopback,
private, link-local, shared, reserved, multicast or unspecified, IPv4 inside IPv6 included);
the connection then goes to that vetted address, so a DNS answer that changes between the
check and the connection cannot point it inward. Redirects are followed by hand, each new
URL checked the same way. Limits: https on port 443 only, a timeout per read and for the
whole fetch, a size cap counted while reading (a lying Content-Length changes nothing).

MEDIA_FETCH_LOOPBACK (tests only) also allows plain http to 127.0.0.1 on any port, so a
test can prove the fetch path against a real server on loopback.
"""

from __future__ import annotations

import http.client
import ipaddress
import socket
import ssl
import time
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from flask import current_app
from flask_babel import gettext as _

from portal.services import DomainError

MAX_REDIRECTS = 3
MAX_URL = 500


class FetchRefused(DomainError):
    """The URL may not be fetched, or what it answered is not acceptable."""


@dataclass(frozen=True)
class Fetched:
    data: bytes
    content_type: str


def _loopback_allowed() -> bool:
    return bool(current_app.config.get("MEDIA_FETCH_LOOPBACK"))


def address_problem(address: str) -> str | None:
    """Why a resolved address may not be fetched, or None for a public one."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    if _loopback_allowed() and ip == ipaddress.ip_address("127.0.0.1"):
        return None
    if not ip.is_global or ip.is_multicast:
        return _("this address is inside a private network: only public addresses are fetched")
    return None


def _target(url: str) -> tuple[str, str, int, str]:
    """(scheme, host, port, path) of a URL that may be fetched, or FetchRefused."""
    parts = urlsplit(url)
    loopback_http = (_loopback_allowed() and parts.scheme == "http"
                     and parts.hostname == "127.0.0.1")
    if len(url) > MAX_URL or not parts.hostname or parts.username or parts.password or not (
            parts.scheme == "https" or loopback_http):
        raise FetchRefused(_("give an https:// address of at most %(n)s characters", n=MAX_URL))
    try:
        port = parts.port or 443
    except ValueError:
        raise FetchRefused(_("this address has an invalid port")) from None
    if port != 443 and not loopback_http:
        raise FetchRefused(_("only the standard https port (443) is fetched"))
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return parts.scheme, parts.hostname, port, path


def check_url(url: str) -> tuple[str, str, int, str, str]:
    """The URL's parts and the vetted address to connect to; FetchRefused when its host is
    unknown or any of its addresses is internal."""
    scheme, host, port, path = _target(url)
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError):
        raise FetchRefused(_("the host %(host)s is unknown", host=host)) from None
    addresses = list(dict.fromkeys(info[4][0] for info in found))
    for address in addresses:
        problem = address_problem(address)
        if problem:
            raise FetchRefused(problem)
    if not addresses:
        raise FetchRefused(_("the host %(host)s is unknown", host=host))
    return scheme, host, port, path, addresses[0]


class _Pinned(http.client.HTTPSConnection):
    """An https connection to a vetted address, with the host's name for TLS and Host."""

    def __init__(self, host: str, address: str, port: int, timeout: float):
        super().__init__(host, port, timeout=timeout, context=ssl.create_default_context())
        self._address = address

    def connect(self):
        sock = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


def _connection(scheme, host, port, address, timeout):
    if scheme == "http":  # only under MEDIA_FETCH_LOOPBACK, to 127.0.0.1 (see _target)
        return http.client.HTTPConnection(address, port, timeout=timeout)
    return _Pinned(host, address, port, timeout)


def fetch(url: str, max_bytes: int) -> Fetched:
    """The body of a 200 answer at `url` (redirects followed, each checked), at most
    `max_bytes`; FetchRefused with the reason otherwise."""
    timeout = float(current_app.config.get("MEDIA_FETCH_TIMEOUT", 10))
    deadline = time.monotonic() + timeout
    for _hop in range(MAX_REDIRECTS + 1):
        scheme, host, port, path, address = check_url(url)
        connection = _connection(scheme, host, port, address, timeout)
        try:
            connection.request("GET", path, headers={"Host": host, "Accept": "*/*",
                                                     "User-Agent": "portal-media-import"})
            with connection.getresponse() as answer:
                location = answer.getheader("Location")
                if answer.status in (301, 302, 303, 307, 308) and location:
                    url = urljoin(url, location)
                    continue
                if answer.status != 200:
                    raise FetchRefused(_("the server answered %(status)s",
                                         status=answer.status))
                return Fetched(_read(answer, max_bytes, deadline),
                               (answer.getheader("Content-Type") or "").split(";")[0].strip())
        except (OSError, http.client.HTTPException):
            raise FetchRefused(_("the file could not be downloaded (no answer in time or the "
                                 "connection failed)")) from None
        finally:
            connection.close()
    raise FetchRefused(_("too many redirects"))


def _read(answer, max_bytes: int, deadline: float) -> bytes:
    declared = answer.getheader("Content-Length") or ""
    too_big = FetchRefused(_("the file is larger than %(n)s MB", n=f"{max_bytes / 1_000_000:g}"))
    if declared.isdigit() and int(declared) > max_bytes:
        raise too_big
    body = bytearray()
    while chunk := answer.read(64 * 1024):
        body += chunk
        if len(body) > max_bytes:
            raise too_big
        if time.monotonic() > deadline:
            raise FetchRefused(_("the download took too long"))
    return bytes(body)
