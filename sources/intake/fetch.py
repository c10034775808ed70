"""Fetching the page at an address an editor gives, past the guard against server-side
request forgery.

Every hop (the address, then each redirect) is resolved once; if any of the host's
addresses is not public the fetch is refused (unless IMPORT_ALLOW_PRIVATE_ADDRESSES),
and the connection goes to those vetted addresses themselves, never to a second
lookup, so a DNS answer that changes after the check (DNS rebinding) cannot redirect
it. The socket's peer is checked again once connected. The Host header, TLS SNI and
the certificate check use the host name.

IMPORT_TIMEOUT bounds the whole fetch, redirects and body included: each socket waits
at most the time left, and a watchdog shuts the socket down at the deadline, so a
server sending a byte at a time cannot hold the fetch longer.
"""

import contextlib
import dataclasses
import http
import ipaddress
import socket
import ssl
import threading
import time
from dataclasses import dataclass
from http.client import HTTPException
from typing import Any
from urllib.parse import urljoin

import certifi
from django.conf import settings
from urllib3 import exceptions as urllib3_errors
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.response import BaseHTTPResponse
from urllib3.util import parse_url

ACCEPTED_TYPES = ("text/html", "application/xhtml+xml", "application/pdf", "text/plain")
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
CHUNK_BYTES = 64 * 1024

# A vetted address of a host: its socket family and the address to connect to.
_Address = tuple[int, tuple[Any, ...]]


class FetchError(Exception):
    """A fetch that failed; str(error) is a message for the editor (what happened and
    what to do)."""


class InvalidAddress(FetchError):
    """Malformed or unsupported address (not http/https, no host, credentials in it,
    etc.). Raised by check_address without any network access."""


class AddressRefused(FetchError):
    """The host resolves to a loopback, private, link-local, multicast, reserved or
    unspecified address (IPv4 or IPv6, IPv4-mapped IPv6 checked as IPv4)."""


@dataclass(frozen=True)
class Fetched:
    requested_url: str  # as given (after check_address)
    url: str  # the final address after redirects
    status: int
    content_type: str  # media type only, lower case, one of ACCEPTED_TYPES
    charset: str | None  # from the Content-Type header, as sent, if any
    body: bytes


def check_address(url: str) -> str:
    """The address, stripped, if it is a well-formed http(s) URL with a host;
    InvalidAddress otherwise. No DNS, no network."""
    address = url.strip()
    if not address:
        raise InvalidAddress("Give the article's web address, starting with https:// or http://.")
    if any(ord(character) < 32 or ord(character) == 127 for character in address):
        raise InvalidAddress(f"“{address}” has control characters in it: copy it again.")
    scheme, separator, _ = address.partition("://")
    if not separator or not scheme.isalnum():
        raise InvalidAddress(
            f"“{address}” is not a web address: give the whole address, starting with "
            "https:// or http://."
        )
    if scheme.lower() not in ("http", "https"):
        raise InvalidAddress(
            f"Only http:// and https:// addresses can be imported, not {scheme.lower()}://."
        )
    try:
        parts = parse_url(address)  # the parser the fetch reads the host and port with
    except ValueError as error:  # urllib3's LocationParseError
        raise InvalidAddress(f"“{address}” is not a valid web address: copy it again.") from error
    if parts.auth is not None:
        raise InvalidAddress(
            f"“{address}” has a user name or password in it: remove them (the import "
            "cannot sign in to a site; download the page and upload the file instead)."
        )
    if not parts.host:
        raise InvalidAddress(f"“{address}” has no host name: copy the whole address again.")
    return address


def fetch(url: str, *, accept: tuple[str, ...] = ACCEPTED_TYPES) -> Fetched:
    """The page at url, following at most IMPORT_MAX_REDIRECTS redirects, each hop
    checked as the address was; FetchError (or a subclass) for anything that fails,
    a content type outside ``accept`` included."""
    requested = check_address(url)
    deadline = time.monotonic() + settings.IMPORT_TIMEOUT
    current = requested
    for _ in range(settings.IMPORT_MAX_REDIRECTS + 1):
        answer = _get(current, deadline, accept)
        if isinstance(answer, Fetched):
            return dataclasses.replace(answer, requested_url=requested)
        try:
            current = check_address(urljoin(current, answer))
        except InvalidAddress as error:
            raise InvalidAddress(
                f"The page redirected to an address that cannot be imported: {error}"
            ) from error
    raise FetchError(
        f"The page redirected more than {settings.IMPORT_MAX_REDIRECTS} times: open it in a "
        "browser and import the address it ends at."
    )


def _get(url: str, deadline: float, accept: tuple[str, ...]) -> Fetched | str:
    """One hop: the page at url, or the Location it redirects to."""
    parts = parse_url(url)
    host = (parts.host or "").strip("[]")
    https = parts.scheme == "https"
    port = parts.port or (443 if https else 80)
    addresses = _vetted_addresses(host, port)
    connection: HTTPConnection
    if https:
        connection = _PinnedHTTPSConnection(host, port, addresses=addresses, deadline=deadline)
    else:
        connection = _PinnedHTTPConnection(host, port, addresses=addresses, deadline=deadline)
    watchdog = None
    try:
        connection.connect()
        watchdog = threading.Timer(_time_left(deadline), _cut_off, [connection.sock])
        watchdog.daemon = True
        watchdog.start()
        connection.request(
            "GET",
            parts.request_uri,
            headers={
                "User-Agent": f"FactcheckTracker/1.0 (+{settings.SITE_URL})",
                "Accept": ",".join(accept),
            },
            preload_content=False,
        )
        response = connection.getresponse()
        try:
            return _answer(response, url, deadline, accept)
        finally:
            response.close()
    except (OSError, HTTPException, urllib3_errors.HTTPError) as error:
        raise _network_error(error, host, port, deadline) from error
    finally:
        if watchdog is not None:
            watchdog.cancel()
        connection.close()


def _answer(
    response: BaseHTTPResponse, url: str, deadline: float, accept: tuple[str, ...]
) -> Fetched | str:
    _time_left(deadline)  # the watchdog may have cut the headers short
    location = response.headers.get("Location")
    if response.status in REDIRECT_STATUSES and location:
        return location
    if not 200 <= response.status < 300:
        raise FetchError(_status_message(response.status, response.reason))
    content_type, charset = _media_type(response.headers.get("Content-Type", ""))
    if content_type not in accept:
        raise FetchError(
            f"The page is {content_type or 'of no stated type'}: only "
            f"{', '.join(accept)} can be imported."
        )
    body = _read_body(response)
    _time_left(deadline)  # the watchdog may have cut the body short
    return Fetched(
        requested_url=url,
        url=url,
        status=response.status,
        content_type=content_type,
        charset=charset,
        body=body,
    )


def _read_body(response: BaseHTTPResponse) -> bytes:
    """The body, read a chunk at a time and refused as soon as it exceeds IMPORT_MAX_BYTES
    (at once when its Content-Length says it will)."""
    limit = settings.IMPORT_MAX_BYTES
    with contextlib.suppress(ValueError):
        if int(response.headers.get("Content-Length", "")) > limit:
            raise _too_big()
    chunks = []
    size = 0
    for chunk in response.stream(CHUNK_BYTES):
        size += len(chunk)
        if size > limit:
            raise _too_big()
        chunks.append(chunk)
    return b"".join(chunks)


def _media_type(header: str) -> tuple[str, str | None]:
    """The media type (lower case) and the charset, if any, of a Content-Type header."""
    media_type, _, parameters = header.partition(";")
    charset = None
    for parameter in parameters.split(";"):
        name, _, value = parameter.partition("=")
        if name.strip().lower() == "charset":
            charset = value.strip().strip("\"'") or None
    return media_type.strip().lower(), charset


def _vetted_addresses(host: str, port: int) -> list[_Address]:
    """The host's addresses, each of them public (unless IMPORT_ALLOW_PRIVATE_ADDRESSES):
    the only addresses a connection to it may go to."""
    try:
        answers = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as error:
        raise _not_found(host) from error
    if not answers:
        raise _not_found(host)
    for _family, _type, _protocol, _name, sockaddr in answers:
        _refuse_unless_public(host, str(sockaddr[0]))
    return [(family, sockaddr) for family, _type, _protocol, _name, sockaddr in answers]


def _refuse_unless_public(host: str, address: str) -> None:
    if settings.IMPORT_ALLOW_PRIVATE_ADDRESSES:
        return
    if _is_public(ipaddress.ip_address(address.partition("%")[0])):
        return
    where = address if host == address else f"{host} (at {address})"
    raise AddressRefused(
        f"{where} is a private or local network address, which imports may not reach: "
        "give the article's public address (an administrator can allow such addresses "
        "with the setting IMPORT_ALLOW_PRIVATE_ADDRESSES)."
    )


def _is_public(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:  # ::ffff:a.b.c.d reaches a.b.c.d
            return _is_public(ip.ipv4_mapped)
        if ip.sixtofour is not None and not _is_public(ip.sixtofour):
            return False
    return ip.is_global and not (
        ip.is_loopback
        or ip.is_private
        or ip.is_link_local
        or ip.is_multicast
        or ip.is_reserved
        or ip.is_unspecified
    )


def _connect(host: str, family: int, sockaddr: tuple[Any, ...], timeout: float) -> socket.socket:
    """A socket connected to this vetted address itself (no name lookup), its peer
    checked again."""
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        sock.settimeout(timeout)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        sock.connect(sockaddr)
        _refuse_unless_public(host, str(sock.getpeername()[0]))
    except BaseException:
        sock.close()
        raise
    return sock


def _connect_first(host: str, addresses: list[_Address], deadline: float) -> socket.socket:
    """A socket to the first of the vetted addresses that answers (the last one's error
    if none does)."""
    for family, sockaddr in addresses[:-1]:
        with contextlib.suppress(OSError):
            return _connect(host, family, sockaddr, _time_left(deadline))
    family, sockaddr = addresses[-1]
    return _connect(host, family, sockaddr, _time_left(deadline))


class _PinnedHTTPConnection(HTTPConnection):
    """An HTTP connection to the host's vetted addresses, not to a new lookup of its name."""

    def __init__(self, host: str, port: int, *, addresses: list[_Address], deadline: float):
        super().__init__(host, port, timeout=_time_left(deadline))
        self.addresses = addresses
        self.deadline = deadline

    def _new_conn(self) -> socket.socket:
        return _connect_first(self.host, self.addresses, self.deadline)


class _PinnedHTTPSConnection(HTTPSConnection):
    """An HTTPS connection to the host's vetted addresses; SNI and the certificate check
    use the host name."""

    def __init__(self, host: str, port: int, *, addresses: list[_Address], deadline: float):
        super().__init__(host, port, timeout=_time_left(deadline), ca_certs=certifi.where())
        self.addresses = addresses
        self.deadline = deadline

    def _new_conn(self) -> socket.socket:
        return _connect_first(self.host, self.addresses, self.deadline)


def _cut_off(sock: socket.socket | None) -> None:
    """At the deadline: shuts the socket down under whatever is reading it (the plain
    socket's shutdown, leaving the TLS layer to the reading thread)."""
    if sock is not None:
        with contextlib.suppress(OSError):
            socket.socket.shutdown(sock, socket.SHUT_RDWR)


def _time_left(deadline: float) -> float:
    left = deadline - time.monotonic()
    if left <= 0:
        raise _timed_out()
    return left


def _network_error(error: Exception, host: str, port: int, deadline: float) -> FetchError:
    """The editor's message for a socket, TLS or HTTP error."""
    if time.monotonic() >= deadline or isinstance(
        error, TimeoutError | urllib3_errors.TimeoutError
    ):
        return _timed_out()
    if isinstance(error, ssl.SSLError | urllib3_errors.SSLError):
        reason = getattr(error, "verify_message", None) or getattr(error, "reason", None)
        detail = str(reason or error).lower().replace("_", " ")
        return FetchError(
            f"The secure connection to {host} failed ({detail}): check the address, or "
            "download the page in a browser and upload the file."
        )
    if isinstance(error, ConnectionRefusedError):
        return FetchError(
            f"{host} refused the connection on port {port}: check the address, or try again later."
        )
    if isinstance(error, ConnectionError | HTTPException | urllib3_errors.HTTPError):
        return FetchError(
            f"The connection to {host} broke off before the page arrived: try again later."
        )
    detail = error.strerror if isinstance(error, OSError) and error.strerror else str(error)
    return FetchError(f"Could not reach {host} ({detail}): check the address, or try again later.")


def _status_message(status: int, reason: str | None) -> str:
    if not reason:
        with contextlib.suppress(ValueError):
            reason = http.HTTPStatus(status).phrase
    answered = f"The page answered {status} {reason or ''}".rstrip()
    if 400 <= status < 500:
        return (
            f"{answered}: check the address (a page behind a sign-in cannot be fetched; "
            "download it in a browser and upload the file)."
        )
    if status >= 500:
        return f"{answered}: the site has a problem; try again later."
    return f"{answered}, which is not a page: check the address."


def _not_found(host: str) -> FetchError:
    return FetchError(f"Could not find the host {host}: check the address (is it spelled right?).")


def _timed_out() -> FetchError:
    seconds = settings.IMPORT_TIMEOUT
    return FetchError(
        f"The page did not arrive within {seconds} second{'s' if seconds != 1 else ''} "
        "(the setting IMPORT_TIMEOUT): try again later, or download it in a browser and "
        "upload the file."
    )


def _too_big() -> FetchError:
    megabytes = settings.IMPORT_MAX_BYTES / (1024 * 1024)
    return FetchError(
        f"The page is larger than {megabytes:.3g} MB (the setting IMPORT_MAX_BYTES): "
        "import a smaller file, or ask an administrator to raise the limit."
    )
