"""Outbound requests (webhook deliveries) reach the public internet only.

A webhook URL whose host is, or resolves to, a loopback, link-local, private, shared, multicast,
reserved or unspecified address (IPv4 or IPv6, including IPv4 inside IPv6) is refused when it is
saved, and again at every delivery: the connection resolves the name itself, checks every
address, and connects to the address it checked, so a name that resolves to a public address
when saved and to `169.254.169.254` later (DNS rebinding) is still refused. Redirects are not
followed and no proxy from the environment is used.

`settings.PARLEY_WEBHOOK_ALLOW_PRIVATE` (default False) lifts the rule, for tests and demos
whose receiver runs on the same machine.

What the organisation is told about a failed delivery carries no network detail: "HTTP 403", or
"no answer" for every failure to connect (refused, unreachable, timed out, TLS, DNS) alike, so
that deliveries cannot be used to map which ports of which host are open.
"""

import http.client
import ipaddress
import logging
import socket
import ssl
import urllib.parse

from django.conf import settings

logger = logging.getLogger(__name__)

NO_ANSWER = "no answer"
ADDRESS_REFUSED = "address not allowed"

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


class AddressRefused(OSError):
    """The host is or resolves to an address that webhooks may not reach."""


def private_allowed() -> bool:
    return bool(getattr(settings, "PARLEY_WEBHOOK_ALLOW_PRIVATE", False))


def is_public(address: IPAddress) -> bool:
    """Whether an address is on the public internet (IPv4 embedded in IPv6 judged as IPv4)."""
    if isinstance(address, ipaddress.IPv6Address):
        embedded = (
            address.ipv4_mapped
            or address.sixtofour
            or (address.teredo[1] if address.teredo else None)
        )
        if embedded is not None and not is_public(embedded):
            return False
        # IPv4-compatible (::a.b.c.d, deprecated) and NAT64 (64:ff9b::/96) forms.
        if address in ipaddress.IPv6Network("::/96") or address in ipaddress.IPv6Network(
            "64:ff9b::/96"
        ):
            return is_public(ipaddress.IPv4Address(int(address) & 0xFFFFFFFF))
    return (
        address.is_global
        and not address.is_multicast
        and not address.is_reserved
        and not address.is_unspecified
        and not address.is_loopback
        and not address.is_link_local
        and not address.is_private
    )


def resolve(host: str, port: int) -> list[IPAddress]:
    """Every address the host stands for (itself when it is an address literal)."""
    try:
        return [ipaddress.ip_address(host.strip("[]"))]
    except ValueError:
        pass
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    # Scope ids (fe80::1%eth0) are dropped: the address alone decides.
    return list(
        dict.fromkeys(ipaddress.ip_address(str(info[4][0]).split("%")[0]) for info in infos)
    )


def checked_addresses(host: str, port: int) -> list[IPAddress]:
    """The host's addresses, all of them public unless private ones are allowed; raises
    `AddressRefused` if any is not, and OSError (socket.gaierror) if the name does not resolve."""
    addresses = resolve(host, port)
    if not addresses:
        raise OSError("no address")
    if not private_allowed():
        refused = [address for address in addresses if not is_public(address)]
        if refused:
            raise AddressRefused(str(refused[0]))
    return addresses


def url_parts(url: str) -> tuple[str, str, int]:
    """Scheme, host and port of an http(s) URL; ValueError when it has none."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError("not an http(s) URL")
    port = parts.port or (443 if parts.scheme == "https" else 80)
    return parts.scheme, parts.hostname, port


def _pinned_create_connection(address, timeout=None, source_address=None, *args, **kwargs):
    """`socket.create_connection`, but to an address checked here (no second lookup)."""
    host, port = address
    last_error: OSError | None = None
    for checked in checked_addresses(host, port):
        try:
            return socket.create_connection((str(checked), port), timeout, source_address)
        except OSError as error:
            last_error = error
    raise last_error or OSError("no address")


class _PinnedHTTPConnection(http.client.HTTPConnection):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._create_connection = _pinned_create_connection


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    """TLS to the checked address, with the host name for SNI and certificate checks."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, context=ssl.create_default_context(), **kwargs)
        self._create_connection = _pinned_create_connection


def post(url: str, body: bytes, headers: dict[str, str], timeout: float) -> tuple[int | None, str]:
    """POST once; the answer's status code (None when there was none) and the error to show the
    organisation ("" on success), free of network detail. The detail goes to the server log."""
    try:
        scheme, host, port = url_parts(url)
    except ValueError:
        return None, NO_ANSWER
    parts = urllib.parse.urlsplit(url)
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    connection_class = _PinnedHTTPSConnection if scheme == "https" else _PinnedHTTPConnection
    connection = connection_class(host, port, timeout=timeout)
    try:
        connection.request("POST", target, body=body, headers=headers)
        response = connection.getresponse()
        response.read(65536)
        status = response.status
    except AddressRefused as error:
        logger.info("webhook to %s refused: %s is not a public address", host, error)
        return None, ADDRESS_REFUSED
    except (OSError, http.client.HTTPException) as error:
        logger.info("webhook to %s failed: %s", host, error.__class__.__name__)
        return None, NO_ANSWER
    finally:
        connection.close()
    if 200 <= status < 300:
        return status, ""
    return status, f"HTTP {status}"
