"""Run the review app as a local service: `extractor review` starts this module.

Streamlit serves any request that reaches its port. A web page the reviewer opens
elsewhere can point a name it controls at 127.0.0.1 (DNS rebinding) and drive the app
with the reviewer's own browser: press Accept, write corrections. So before the app
sees a request, the Host header must name the address the app is bound to (or a
loopback name when it is bound to loopback; any host when `--host 0.0.0.0` was asked
for, which the command's help warns about), and every response forbids framing
(`X-Frame-Options: DENY`, `frame-ancestors 'none'`), so no other page can show the app
in a frame and trick a click.

    python -m extractor.ui.serve run extractor/ui/app.py --server.address 127.0.0.1 ...

(the arguments are `streamlit run`'s; the bound host is read from EXTRACTOR_REVIEW_HOST).
"""
from __future__ import annotations

import ipaddress
import os
import sys
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

LOOPBACK_NAMES = ("localhost", "127.0.0.1", "::1", "[::1]")
FRAME_HEADERS = ((b"x-frame-options", b"DENY"),
                 (b"content-security-policy", b"frame-ancestors 'none'"),
                 (b"x-content-type-options", b"nosniff"))

Scope = MutableMapping[str, Any]
ASGIApp = Callable[[Scope, Callable[[], Awaitable[Any]], Callable[[Any], Awaitable[None]]], Awaitable[None]]


def allowed_hosts(bound: str) -> list[str] | None:
    """The Host header values accepted for an app bound to ``bound``; None: any."""
    if bound in ("0.0.0.0", "::", ""):
        return None
    hosts = [bound]
    try:
        if ipaddress.ip_address(bound.strip("[]")).is_loopback:
            hosts += list(LOOPBACK_NAMES)
    except ValueError:  # a name: that name only
        if bound == "localhost":
            hosts += list(LOOPBACK_NAMES)
    return sorted(set(hosts))


def _host_of(header: str) -> str:
    header = header.strip().lower()
    if header.startswith("["):  # [::1]:8501
        return header[:header.find("]") + 1] if "]" in header else header
    return header.rsplit(":", 1)[0] if header.count(":") == 1 else header


class LocalServiceGuard:
    """ASGI middleware: refuse a foreign Host (403, also for the websocket), and add the
    no-framing headers to every HTTP response."""

    def __init__(self, app: ASGIApp, hosts: list[str] | None) -> None:
        self.app, self.hosts = app, None if hosts is None else {h.lower() for h in hosts}

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        host = next((v.decode("latin-1") for k, v in scope.get("headers", []) if k == b"host"), "")
        if self.hosts is not None and _host_of(host) not in self.hosts:
            if scope["type"] == "websocket":
                await send({"type": "websocket.close", "code": 1008})
                return
            body = (f"Refused: Host {host!r} is not this review app's address. Open it at "
                    "http://127.0.0.1:PORT/ (the address `extractor review` printed).").encode()
            await send({"type": "http.response.start", "status": 403,
                        "headers": [(b"content-type", b"text/plain; charset=utf-8"),
                                    (b"content-length", str(len(body)).encode()), *FRAME_HEADERS]})
            await send({"type": "http.response.body", "body": body})
            return

        async def send_guarded(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                names = {k.lower() for k, _ in message.get("headers", [])}
                message = {**message, "headers": [*message.get("headers", []),
                                                  *(h for h in FRAME_HEADERS if h[0] not in names)]}
            await send(message)

        await self.app(scope, receive, send_guarded if scope["type"] == "http" else send)


def install(hosts: list[str] | None) -> None:
    """Wrap the Starlette app Streamlit builds in the guard (Streamlit >= 1.50 serves with
    Starlette and uvicorn; the app factory is looked up by the server module)."""
    from streamlit.web.server.starlette import starlette_server

    build = starlette_server.create_starlette_app

    def guarded(runtime: Any) -> Any:
        return LocalServiceGuard(build(runtime), hosts)

    starlette_server.create_starlette_app = guarded


def main(argv: list[str]) -> None:
    install(allowed_hosts(os.environ.get("EXTRACTOR_REVIEW_HOST", "127.0.0.1")))
    from streamlit.web import cli as stcli

    sys.argv = ["streamlit", *argv]
    sys.exit(stcli.main())


if __name__ == "__main__":  # pragma: no cover
    main(sys.argv[1:])
