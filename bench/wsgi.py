"""Requests for the benchmarks: made in-process through Django's WSGI handler,
as a WSGI server would make them (everything but HTTP parsing)."""

import sys
from io import BytesIO
from urllib.parse import urlencode

from django.core.handlers.wsgi import WSGIHandler

HOST = "127.0.0.1"
_handler: list[WSGIHandler] = []


def application(environ, start_response):
    # Made at the first request, once the script has set its settings (DEBUG off):
    # middleware reads them when it is loaded.
    if not _handler:
        _handler.append(WSGIHandler())
    return _handler[0](environ, start_response)


def get(path: str, params: dict | None = None, sink=None) -> bytes:
    """GET ``path``; the body is returned, or handed to ``sink`` chunk by chunk as a
    streaming response yields it (and b"" returned). Anything but 200 ends the run."""
    query = urlencode(params or {}, doseq=True)
    environ = {
        "REQUEST_METHOD": "GET",
        "SCRIPT_NAME": "",
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "SERVER_NAME": HOST,
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "HTTP_HOST": HOST,
        "HTTP_ACCEPT": "application/json",
        "wsgi.input": BytesIO(),
        "wsgi.errors": sys.stderr,
        "wsgi.url_scheme": "http",
        "wsgi.version": (1, 0),
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }
    status = []
    body = application(environ, lambda line, headers, exc_info=None: status.append(line))
    chunks = []
    try:
        for chunk in body:
            if sink is None:
                chunks.append(chunk)
            else:
                sink(chunk)
    finally:
        body.close()  # request_finished: what a server does after sending the response
    content = b"".join(chunks)
    if not status[0].startswith("200"):
        raise SystemExit(f"GET {path}?{query}: {status[0]}\n{content[:500]!r}")
    return content
