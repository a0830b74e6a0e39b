"""The preview's web server: its page, the pack's page images and the live updates, on the
loopback address unless another is asked for.

Starlette answers, uvicorn serves, in a thread of their own: the build stays in the main thread,
where Ctrl-C arrives. What it answers is fixed: the page and its two assets (package data,
looked up by exact name), page images by the hash that names them (held in memory), the state
as JSON and as server-sent events. No path from a request ever reaches the file system, so
`..`, its percent-encoded forms and absolute paths find nothing; a request naming another host
(a DNS-rebinding page) is refused; every answer carries a Content-Security-Policy under which
the page can load nothing from anywhere else, and runs no inline script.
"""

from __future__ import annotations

import asyncio
import contextlib
import errno
import ipaddress
import json
import re
import socket
import threading
from collections.abc import AsyncIterator, Callable
from importlib import resources
from typing import Any

from pipeline.errors import PackError

POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
    "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)
"""Everything from this server, nothing from elsewhere, no inline script or style."""
HEADERS = [
    (b"content-security-policy", POLICY.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-resource-policy", b"same-origin"),
    (b"cross-origin-opener-policy", b"same-origin"),
]
ASSETS = {
    "app.js": "text/javascript; charset=utf-8",
    "style.css": "text/css; charset=utf-8",
    "icon.svg": "image/svg+xml",
}
"""The browser side, served from the package by these names only."""
IMAGE = re.compile(r"[0-9a-f]{24}")
KEEPALIVE = 15.0
"""Seconds between two comments on an idle event stream (a closed tab is noticed)."""
LOOPBACK_NAMES = ("127.0.0.1", "localhost", "[::1]")
DEFAULT_PORT = 8000
"""Tried first when no port is asked for; when it is taken, any free port."""


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def bracketed(host: str) -> str:
    return f"[{host}]" if ":" in host and not host.startswith("[") else host


def is_everywhere(host: str) -> bool:
    """0.0.0.0 or ::, every address of this machine."""
    try:
        return ipaddress.ip_address(host.strip("[]")).is_unspecified
    except ValueError:
        return False


def allowed_hosts(host: str, port: int) -> frozenset[str]:
    """The Host headers a request may carry: the address bound, and the loopback's names when
    it is the loopback; bound everywhere, the loopback's and this machine's own names and
    addresses. With the port (a browser sends it for any port but 80)."""
    names = {bracketed(host).lower()}
    if is_loopback(host) or is_everywhere(host):
        names |= set(LOOPBACK_NAMES)
    if is_everywhere(host):
        machine = {socket.gethostname(), socket.getfqdn()}
        with contextlib.suppress(OSError):
            machine |= {str(a[4][0]) for n in list(machine) for a in socket.getaddrinfo(n, None)}
        names |= {bracketed(name).lower() for name in machine}
    return frozenset({f"{n}:{port}" for n in names} | (names if port == 80 else set()))


class Hub:
    """The latest state, and every open event stream waiting for the next (thread-safe:
    the build publishes from the main thread, the streams read in the server's)."""

    def __init__(self) -> None:
        self.state = "{}"
        self.version = 0
        self.loop: asyncio.AbstractEventLoop | None = None
        self.streams: set[asyncio.Queue[str | None]] = set()
        self.lock = threading.Lock()

    def publish(self, state: dict[str, Any]) -> None:
        with self.lock:
            self.version += 1
            self.state = json.dumps({**state, "version": self.version}, ensure_ascii=False)
            self._send(self.state)

    def close(self) -> None:
        """End every event stream (so the server can stop at once)."""
        with self.lock:
            self._send(None)

    def _send(self, message: str | None) -> None:
        if self.loop is not None and not self.loop.is_closed():
            for stream in list(self.streams):
                with contextlib.suppress(RuntimeError):  # the loop closing just now
                    self.loop.call_soon_threadsafe(stream.put_nowait, message)

    async def events(self) -> AsyncIterator[str]:
        """One stream: the state now, then each new one."""
        stream: asyncio.Queue[str | None] = asyncio.Queue()
        with self.lock:
            self.loop = asyncio.get_running_loop()
            self.streams.add(stream)
            current = self.state
        try:
            yield f"data: {current}\n\n"
            while True:
                try:
                    message = await asyncio.wait_for(stream.get(), KEEPALIVE)
                except TimeoutError:
                    yield ": still here\n\n"
                    continue
                if message is None:
                    return
                yield f"data: {message}\n\n"
        finally:
            with self.lock:
                self.streams.discard(stream)


def _asset(name: str) -> bytes:
    return (resources.files("pipeline.preview") / "static" / name).read_bytes()


def make_app(hub: Hub, image: Callable[[str], bytes | None], hosts: frozenset[str]) -> Any:
    """The ASGI application: Starlette's routing inside a guard that checks the method, the
    Host header and the path before anything else sees the request."""
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import Response, StreamingResponse
    from starlette.routing import Route

    page = _asset("index.html")
    assets = {name: _asset(name) for name in ASSETS}

    async def index(request: Request) -> Response:
        return Response(page, media_type="text/html; charset=utf-8")

    async def asset(request: Request) -> Response:
        name = request.path_params["name"]
        if name not in assets:
            return Response("not found\n", 404, media_type="text/plain")
        return Response(assets[name], media_type=ASSETS[name])

    def picture(request: Request) -> Response:  # in a thread: it may wait for the encoding
        name = request.path_params["name"]
        found = image(name) if IMAGE.fullmatch(name) else None
        if not found:
            return Response("not found\n", 404, media_type="text/plain")
        # named by its pixels: the same name is always the same image
        return Response(found, media_type="image/png",
                        headers={"cache-control": "private, max-age=31536000, immutable"})  # fmt: skip

    async def state(request: Request) -> Response:
        return Response(hub.state, media_type="application/json")

    async def events(request: Request) -> Response:
        return StreamingResponse(hub.events(), media_type="text/event-stream",
                                 headers={"cache-control": "no-store"})  # fmt: skip

    routes = [
        Route("/", index),
        Route("/static/{name}", asset),
        Route("/page/{name}.png", picture),
        Route("/state", state),
        Route("/events", events),
    ]
    return _guard(Starlette(routes=routes), hosts)


def _guard(app: Any, hosts: frozenset[str]) -> Any:
    async def guarded(scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await app(scope, receive, send)
            return
        headers = dict(scope["headers"])
        host = headers.get(b"host", b"").decode("latin-1").lower()
        raw = scope.get("raw_path", b"").split(b"?", 1)[0]
        status, text = 0, b""
        if host not in hosts:  # DNS rebinding: a page elsewhere, under a name of ours
            status, text = 421, b"this server answers only for its own address\n"
        elif scope["method"] not in ("GET", "HEAD"):
            status, text = 405, b"read only\n"
        elif b".." in raw or b"%" in raw or b"\\" in raw or b"//" in raw:
            status, text = 404, b"not found\n"
        if status:
            await send({"type": "http.response.start", "status": status,
                        "headers": [(b"content-type", b"text/plain"), *HEADERS]})  # fmt: skip
            await send({"type": "http.response.body", "body": text})
            return

        async def secured(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                message = {**message, "headers": [*message.get("headers", []), *HEADERS]}
            await send(message)

        await app(scope, receive, secured)

    return guarded


def bind(host: str, port: int | None) -> socket.socket:
    """A listening socket on `host`:`port` (0: any free port; None: `DEFAULT_PORT`, or any
    free one when it is taken); a clear error when the port asked for is taken."""
    family = socket.AF_INET6 if ":" in host.strip("[]") else socket.AF_INET
    try:
        return socket.create_server((host.strip("[]"), DEFAULT_PORT if port is None else port),
                                    family=family)  # fmt: skip
    except OSError as exc:
        if port is None and exc.errno == errno.EADDRINUSE:
            return bind(host, 0)
        if exc.errno == errno.EADDRINUSE:
            raise PackError(
                f"port {port} on {host} is in use (another preview?); pass --port with another "
                "number, or --port 0 for any free one"
            ) from exc
        raise PackError(f"cannot serve on {host}:{port} ({exc.strerror})") from exc


class Server:
    """uvicorn in a thread, serving `app` on an already bound socket until `stop`."""

    def __init__(self, app: Any, listening: socket.socket) -> None:
        import uvicorn

        config = uvicorn.Config(
            app, lifespan="off", http="h11", ws="none", loop="asyncio", log_config=None,
            log_level="warning", access_log=False, timeout_graceful_shutdown=2,
        )  # fmt: skip
        self.server = uvicorn.Server(config)
        self.listening = listening
        self.thread = threading.Thread(
            target=self.server.run, kwargs={"sockets": [listening]}, name="pack-preview",
            daemon=True,
        )  # fmt: skip

    def start(self) -> None:
        self.thread.start()
        while not self.server.started and self.thread.is_alive():
            self.thread.join(0.01)
        if not self.server.started:
            raise PackError("the preview's server did not start")

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(5)
        self.listening.close()
