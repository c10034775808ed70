"""sources/intake/fetch.py against a local HTTP server. Nothing leaves the machine: every
name lookup is answered by the test (``dns``) and a connection to anything but the
loopback address is refused (``offline``)."""

import contextlib
import ipaddress
import socket
import threading
import time
from collections.abc import Iterator
from email.message import Message
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import quote, unquote

import pytest

from sources.intake import fetch as fetch_module
from sources.intake.fetch import AddressRefused, FetchError, InvalidAddress, check_address, fetch

# A global address (IANA's, once example.com's). No test connects to it: ``offline``
# refuses, and ``public_site`` sends its connections to the local server instead.
PUBLIC = "93.184.215.14"
PAGE = b"<html><head><title>Budget</title></head><body><p>The claim.</p></body></html>"


class _Handler(BaseHTTPRequestHandler):
    server: "_Server"

    def do_GET(self) -> None:
        self.server.requests.append((self.path, self.headers))
        path, _, query = self.path.partition("?")
        with contextlib.suppress(OSError):  # the client hung up, as a refusing fetch does
            if path == "/page":
                self._answer(200, "text/html; charset=utf-8", PAGE)
            elif path.startswith("/redirect/"):
                hops = int(path.removeprefix("/redirect/"))
                # The last hop gives an absolute address, the others a path.
                to = f"http://{self.headers['Host']}/page" if hops == 1 else f"/redirect/{hops - 1}"
                self._redirect(to)
            elif path == "/to":
                self._redirect(unquote(query))
            elif path.startswith("/status/"):
                self._answer(int(path.removeprefix("/status/")), "text/html", b"<p>Sorry</p>")
            elif path == "/typed":
                self._answer(200, unquote(query), b"%PDF-1.4 or whatever the type says")
            elif path.startswith("/bytes/"):
                self._answer(200, "text/plain", b"x" * int(path.removeprefix("/bytes/")))
            elif path == "/slow":
                if not self.server.stop.wait(3):
                    self._answer(200, "text/html", PAGE)
            elif path == "/drip/headers":
                self.send_response(200)
                self.flush_headers()
                self._drip(b"X-Slow: yes\r\n" for _ in range(200))
            elif path == "/drip/body":
                self.send_response(200)
                self.send_header("Content-Type", "text/html")
                self.send_header("Content-Length", "200")
                self.end_headers()
                self._drip(b"x" for _ in range(200))
            elif path == "/big/announced":
                self.send_response(200)
                self.send_header("Content-Type", "text/html")
                self.send_header("Content-Length", str(10**9))
                self.end_headers()
                self.wfile.write(b"<html>")
            elif path == "/big/unannounced":
                self.send_response(200)
                self.send_header("Content-Type", "text/html")
                self.end_headers()
                self._endless(lambda chunk: chunk)
            elif path == "/big/chunked":
                self.protocol_version = "HTTP/1.1"
                self.send_response(200)
                self.send_header("Content-Type", "text/html")
                self.send_header("Transfer-Encoding", "chunked")
                self.send_header("Connection", "close")
                self.end_headers()
                self._endless(lambda chunk: b"%x\r\n%s\r\n" % (len(chunk), chunk))

    def _answer(self, status: int, content_type: str, body: bytes) -> None:
        self.send_response(status)
        if content_type:
            self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _redirect(self, location: str) -> None:
        self.send_response(302)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _drip(self, pieces: Iterator[bytes]) -> None:
        """Sends a piece every tenth of a second (for twenty seconds, or until the client
        hangs up)."""
        for piece in pieces:
            if self.server.stop.wait(0.1):
                return
            self.wfile.write(piece)
            self.wfile.flush()

    def _endless(self, frame) -> None:
        """Sends a body that never ends, until the client hangs up."""
        chunk = b"x" * 65536
        while not self.server.stop.is_set():
            self.wfile.write(frame(chunk))

    def log_message(self, format, *args) -> None:
        pass


class _Server(ThreadingHTTPServer):
    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.requests: list[tuple[str, Message]] = []
        self.stop = threading.Event()

    @property
    def port(self) -> int:
        return self.server_address[1]

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    @property
    def paths(self) -> list[str]:
        return [path for path, _headers in self.requests]

    def handle_error(self, request, client_address) -> None:
        pass  # a client that hung up mid-answer


@pytest.fixture(scope="module")
def _running_server() -> Iterator[_Server]:
    server = _Server()
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    yield server
    server.stop.set()
    server.shutdown()
    server.server_close()
    thread.join()


@pytest.fixture
def server(_running_server) -> _Server:
    _running_server.requests.clear()
    return _running_server


class _DNS:
    """Answers to name lookups: the addresses a test gives a name; an address as a host
    is itself; any other name is unknown."""

    def __init__(self) -> None:
        self.answers: dict[str, list[str]] = {}
        self.lookups: list[str] = []

    def getaddrinfo(self, host, port, *args, **kwargs):
        self.lookups.append(host)
        addresses = self.answers.get(host)
        if addresses is None:
            try:
                addresses = [str(ipaddress.ip_address(host))]
            except ValueError:
                raise socket.gaierror(socket.EAI_NONAME, "Name or service not known") from None
        return [_address_info(address, port) for address in addresses]


def _address_info(address: str, port: int):
    if ipaddress.ip_address(address).version == 6:
        return (socket.AF_INET6, socket.SOCK_STREAM, 6, "", (address, port, 0, 0))
    return (socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port))


@pytest.fixture(autouse=True)
def dns(monkeypatch) -> _DNS:
    answers = _DNS()
    monkeypatch.setattr(socket, "getaddrinfo", answers.getaddrinfo)
    return answers


@pytest.fixture(autouse=True)
def offline(monkeypatch) -> list[tuple[str, int]]:
    """The addresses sockets tried to connect to; any but loopback is refused."""
    attempts: list[tuple[str, int]] = []
    connect = socket.socket.connect

    def connect_locally(sock, address):
        attempts.append(tuple(address[:2]))
        if not ipaddress.ip_address(address[0]).is_loopback:
            raise ConnectionRefusedError(111, "Connection refused (the tests are offline)")
        return connect(sock, address)

    monkeypatch.setattr(socket.socket, "connect", connect_locally)
    return attempts


@pytest.fixture
def public_site(monkeypatch, server, dns) -> list[tuple[str, int]]:
    """news.example, at a public address whose connections reach the local server, as if
    it were that site on the internet; the addresses connected to."""
    dns.answers["news.example"] = [PUBLIC]
    connected: list[tuple[str, int]] = []
    connect = fetch_module._connect

    def connect_to_the_site(host, family, sockaddr, timeout):
        if sockaddr[0] != PUBLIC:
            return connect(host, family, sockaddr, timeout)
        connected.append(tuple(sockaddr[:2]))
        return socket.create_connection(("127.0.0.1", server.port), timeout)

    monkeypatch.setattr(fetch_module, "_connect", connect_to_the_site)
    return connected


@pytest.fixture
def private_allowed(settings):
    settings.IMPORT_ALLOW_PRIVATE_ADDRESSES = True


@pytest.fixture
def one_answer() -> Iterator[int]:
    """The port of a server that answers any connection with a line of text and hangs up."""
    listener = socket.create_server(("127.0.0.1", 0))

    def answer() -> None:
        with contextlib.suppress(OSError):
            connection, _address = listener.accept()
            with connection:
                connection.sendall(b"HTTP/1.0 400 Not TLS\r\n\r\n")

    thread = threading.Thread(target=answer)
    thread.start()
    yield listener.getsockname()[1]
    listener.close()
    thread.join()


def test_an_html_page_is_fetched_with_its_type_and_charset(server, private_allowed):
    page = fetch(server.url("/page"))

    assert page == fetch_module.Fetched(
        requested_url=server.url("/page"),
        url=server.url("/page"),
        status=200,
        content_type="text/html",
        charset="utf-8",
        body=PAGE,
    )


def test_the_request_names_the_product_and_the_site_in_its_user_agent(
    server, private_allowed, settings
):
    settings.SITE_URL = "https://factcheck.example"

    fetch(server.url("/page"))

    [(_path, headers)] = server.requests
    assert headers["User-Agent"] == "FactcheckTracker/1.0 (+https://factcheck.example)"


def test_a_public_host_is_reached_at_its_vetted_address_with_its_own_name(server, public_site):
    page = fetch("http://news.example/page")

    assert page.body == PAGE
    assert public_site == [(PUBLIC, 80)]
    [(_path, headers)] = server.requests
    assert headers["Host"] == "news.example"


def test_an_address_is_stripped_and_checked_without_the_network(dns, offline):
    assert check_address("  https://news.example/a?b=1#c \n") == "https://news.example/a?b=1#c"
    assert dns.lookups == []
    assert offline == []


@pytest.mark.parametrize(
    ("address", "message"),
    [
        ("ftp://news.example/file", "Only http:// and https://"),
        ("not a url", "not a web address"),
        ("news.example/article", "not a web address"),
        ("javascript:alert(1)", "not a web address"),
        ("", "Give the article's web address"),
        ("http://user:pass@news.example/", "user name or password"),
        ("http://user@news.example/", "user name or password"),
        ("http:///article", "no host name"),
        ("http://news.example:99999/", "not a valid web address"),
        ("https://[::1/", "not a valid web address"),
        ("http://news.example/a\r\nX-Injected: yes", "control characters"),
    ],
)
def test_a_malformed_or_unsupported_address_is_invalid_without_the_network(
    address, message, dns, offline
):
    with pytest.raises(InvalidAddress, match=message):
        check_address(address)
    with pytest.raises(InvalidAddress, match=message):
        fetch(address)
    assert dns.lookups == []
    assert offline == []


def test_a_loopback_address_is_refused_unless_private_addresses_are_allowed(server, settings):
    with pytest.raises(AddressRefused, match="IMPORT_ALLOW_PRIVATE_ADDRESSES"):
        fetch(server.url("/page"))
    assert server.requests == []

    settings.IMPORT_ALLOW_PRIVATE_ADDRESSES = True
    assert fetch(server.url("/page")).body == PAGE


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "10.0.0.5",
        "192.168.1.20",
        "172.16.0.1",
        "100.64.0.1",
        "169.254.169.254",
        "0.0.0.0",
        "224.0.0.1",
        "240.0.0.1",
        "192.0.2.1",
        "::1",
        "::",
        "::ffff:127.0.0.1",
        "::ffff:10.0.0.5",
        "2002:7f00:1::1",
        "fe80::1",
        "fc00::1",
        "ff02::1",
    ],
)
def test_a_host_name_that_resolves_to_a_private_address_is_refused_before_connecting(
    address, dns, offline
):
    dns.answers["news.example"] = [address]

    with pytest.raises(AddressRefused, match="IMPORT_ALLOW_PRIVATE_ADDRESSES") as refused:
        fetch("http://news.example/article")

    assert f"news.example (at {address})" in str(refused.value)
    assert offline == []


def test_a_host_name_is_refused_when_any_of_its_addresses_is_private(dns, offline):
    dns.answers["news.example"] = [PUBLIC, "10.0.0.5"]

    with pytest.raises(AddressRefused):
        fetch("https://news.example/article")
    assert offline == []


def test_an_ipv4_mapped_public_address_is_not_refused(dns, offline):
    dns.answers["news.example"] = [f"::ffff:{PUBLIC}"]

    with pytest.raises(FetchError, match="refused the connection") as failed:
        fetch("http://news.example/article")

    assert not isinstance(failed.value, AddressRefused)
    assert offline == [(f"::ffff:{PUBLIC}", 80)]


def test_a_dns_answer_that_changes_after_the_check_cannot_reach_the_local_server(
    server, monkeypatch, offline
):
    lookups = []

    def rebinding(host, port, *args, **kwargs):
        lookups.append(host)
        return [_address_info(PUBLIC if len(lookups) == 1 else "127.0.0.1", port)]

    monkeypatch.setattr(socket, "getaddrinfo", rebinding)

    with pytest.raises(FetchError, match="refused the connection"):
        fetch(f"http://rebinding.example:{server.port}/page")

    assert lookups == ["rebinding.example"]
    assert offline == [(PUBLIC, server.port)]
    assert server.requests == []


def test_a_connection_whose_peer_is_a_private_address_is_refused(server):
    with pytest.raises(AddressRefused, match="IMPORT_ALLOW_PRIVATE_ADDRESSES"):
        fetch_module._connect("news.example", socket.AF_INET, ("127.0.0.1", server.port), 1.0)


def test_a_host_name_of_a_private_address_is_fetched_when_private_addresses_are_allowed(
    server, dns, private_allowed
):
    dns.answers["intranet.example"] = ["127.0.0.1"]

    page = fetch(f"http://intranet.example:{server.port}/page")

    assert page.body == PAGE
    [(_path, headers)] = server.requests
    assert headers["Host"] == f"intranet.example:{server.port}"


def test_redirects_are_followed_to_the_final_address(server, private_allowed):
    page = fetch(server.url("/redirect/3"))

    assert page.requested_url == server.url("/redirect/3")
    assert page.url == server.url("/page")
    assert page.body == PAGE
    assert server.paths == ["/redirect/3", "/redirect/2", "/redirect/1", "/page"]


def test_redirects_are_followed_up_to_the_limit_and_refused_past_it(
    server, private_allowed, settings
):
    settings.IMPORT_MAX_REDIRECTS = 2

    assert fetch(server.url("/redirect/2")).url == server.url("/page")

    server.requests.clear()
    with pytest.raises(FetchError, match="redirected more than 2 times"):
        fetch(server.url("/redirect/3"))
    assert server.paths == ["/redirect/3", "/redirect/2", "/redirect/1"]


@pytest.mark.parametrize(
    "location",
    [
        "http://127.0.0.1:{port}/page",
        "http://[::1]:{port}/page",
        "http://169.254.169.254/latest/meta-data/",
        "http://intranet.example/",
    ],
)
def test_a_redirect_to_a_private_address_is_refused(location, server, public_site, dns):
    dns.answers["intranet.example"] = ["10.0.0.5"]
    to = quote(location.format(port=server.port))

    with pytest.raises(AddressRefused, match="IMPORT_ALLOW_PRIVATE_ADDRESSES"):
        fetch(f"http://news.example/to?{to}")

    assert server.paths == [f"/to?{to}"]
    assert public_site == [(PUBLIC, 80)]


def test_a_redirect_to_an_unsupported_address_is_invalid(server, private_allowed):
    with pytest.raises(InvalidAddress, match="redirected to an address that cannot be"):
        fetch(server.url("/to?" + quote("ftp://news.example/file")))


@pytest.mark.parametrize(
    ("status", "answered"),
    [(404, "The page answered 404 Not Found"), (500, "The page answered 500 Internal Server")],
)
def test_an_error_answer_is_reported_with_its_status(status, answered, server, private_allowed):
    with pytest.raises(FetchError, match=answered):
        fetch(server.url(f"/status/{status}"))


@pytest.mark.parametrize(
    ("header", "content_type", "charset"),
    [
        ("text/html; charset=utf-8", "text/html", "utf-8"),
        ("Application/XHTML+XML", "application/xhtml+xml", None),
        ("application/pdf", "application/pdf", None),
        ("text/plain; charset=ISO-8859-1", "text/plain", "ISO-8859-1"),
        ('text/plain; format=flowed; charset="utf-8"', "text/plain", "utf-8"),
    ],
)
def test_an_article_type_is_accepted_with_its_charset(
    header, content_type, charset, server, private_allowed
):
    page = fetch(server.url("/typed?" + quote(header)))

    assert (page.content_type, page.charset) == (content_type, charset)


@pytest.mark.parametrize(("header", "named"), [("image/png", "image/png"), ("", "no stated type")])
def test_another_type_is_refused_naming_it_and_the_accepted_ones(
    header, named, server, private_allowed
):
    with pytest.raises(FetchError, match=named) as refused:
        fetch(server.url("/typed?" + quote(header)))

    assert "text/html, application/xhtml+xml, application/pdf, text/plain" in str(refused.value)


@pytest.mark.parametrize("path", ["/big/announced", "/big/unannounced", "/big/chunked"])
def test_a_page_over_the_size_limit_is_refused_as_soon_as_it_is(
    path, server, private_allowed, settings
):
    settings.IMPORT_MAX_BYTES = 200_000

    with pytest.raises(FetchError, match=r"larger than 0\.191 MB \(the setting IMPORT_MAX_BYTES"):
        fetch(server.url(path))


def test_a_page_of_exactly_the_size_limit_is_accepted(server, private_allowed, settings):
    settings.IMPORT_MAX_BYTES = 1000

    assert len(fetch(server.url("/bytes/1000")).body) == 1000
    with pytest.raises(FetchError, match="IMPORT_MAX_BYTES"):
        fetch(server.url("/bytes/1001"))


@pytest.mark.parametrize("path", ["/slow", "/drip/headers", "/drip/body"])
def test_a_page_that_takes_longer_than_the_import_timeout_is_given_up(
    path, server, private_allowed, settings
):
    settings.IMPORT_TIMEOUT = 1
    started = time.monotonic()

    with pytest.raises(FetchError, match=r"within 1 second \(the setting IMPORT_TIMEOUT\)"):
        fetch(server.url(path))
    # A server that keeps sending a little, never pausing long, is cut off at the deadline
    # (the drip would go on for twenty seconds); the margin is for a slow machine.
    assert time.monotonic() - started < 5


def test_an_unknown_host_is_reported_by_name():
    with pytest.raises(FetchError, match=r"Could not find the host nowhere\.example"):
        fetch("https://nowhere.example/article")


def test_a_refused_connection_is_reported(private_allowed):
    with socket.create_server(("127.0.0.1", 0)) as closed:
        port = closed.getsockname()[1]

    with pytest.raises(FetchError, match=f"127.0.0.1 refused the connection on port {port}"):
        fetch(f"http://127.0.0.1:{port}/article")


def test_a_failed_secure_connection_is_reported(one_answer, private_allowed):
    with pytest.raises(FetchError, match=r"The secure connection to 127\.0\.0\.1 failed"):
        fetch(f"https://127.0.0.1:{one_answer}/article")
