"""The lab web server: textual-serve behind per-student token routes, one workspace per token."""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path
from typing import Any

import aiohttp_jinja2
import jinja2
from aiohttp import web
from textual_serve.app_service import AppService
from textual_serve.server import Server, to_int

from modl_tutor.serve import TokenTable, app_command

log = logging.getLogger("modl")
NO_STORE = {"Cache-Control": "no-store", "Referrer-Policy": "no-referrer",
            "X-Content-Type-Options": "nosniff"}
SESSIONS_PER_STUDENT = 3
"""Apps one student may run at once (a few tabs); more is refused, so one link cannot fill
the machine with processes."""


class LabServer(Server):
    """Serves /s/<token>/ only: the token (never the browser) picks the student's workspace.

    Anything else — no token, a wrong one, /static, /ws, /download — is a 404 without the app."""

    def __init__(self, tokens: dict[str, str], workspaces: dict[str, Path], *, host: str,
                 port: int, public_url: str | None = None) -> None:
        super().__init__("modl", host=host, port=port, title="modl-tutor",
                         public_url=public_url)
        self.table = TokenTable(tokens)
        self.workspaces = {s: Path(p) for s, p in workspaces.items()}
        self.sessions: dict[str, int] = {}

    def _student(self, request: web.Request) -> str:
        student = self.table.student(request.match_info.get("token", ""))
        if student is None or student not in self.workspaces:
            raise web.HTTPNotFound(text="Not found", headers=NO_STORE)
        return student

    async def make_app(self) -> web.Application:
        """The aiohttp application (public so tests can drive it with aiohttp's test client)."""
        app = web.Application()
        aiohttp_jinja2.setup(app, loader=jinja2.FileSystemLoader(self.templates_path))
        app.add_routes([
            web.get("/s/{token}/", self.handle_index, name="index"),
            web.get("/s/{token}/ws", self.handle_websocket, name="websocket"),
            web.get("/s/{token}/static/{filename:.+}", self.handle_static, name="static"),
        ])
        app.on_startup.append(self.on_startup)
        return app

    async def _make_app(self) -> web.Application:
        return await self.make_app()

    async def on_startup(self, app: web.Application) -> None:
        logging.getLogger("aiohttp.access").setLevel(logging.WARNING)  # paths hold the tokens
        self.console.print(f"modl-tutor lab server on {self.public_url} "
                           f"({len(self.workspaces)} students; Ctrl+C stops)")

    async def handle_index(self, request: web.Request) -> web.Response:  # type: ignore[override]
        self._student(request)
        token = request.match_info["token"]
        secure = (request.secure or self.public_url.startswith("https:")
                  or request.headers.get("X-Forwarded-Proto", "") == "https")
        scheme = "wss" if secure else "ws"  # behind an HTTPS proxy too (no mixed content)
        context: dict[str, Any] = {
            "font_size": to_int(request.query.get("fontsize", "16"), 16),
            "app_websocket_url": f"{scheme}://{request.host}/s/{token}/ws",
            "config": {"static": {"url": f"/s/{token}/static/"}},
            "application": {"name": self.title},
        }
        response = aiohttp_jinja2.render_template("app_index.html", request, context)
        response.headers.update(NO_STORE)
        return response

    async def handle_static(self, request: web.Request) -> web.StreamResponse:
        self._student(request)
        base = self.statics_path.resolve()
        target = (base / request.match_info["filename"]).resolve()
        if not target.is_relative_to(base) or not target.is_file():
            raise web.HTTPNotFound(text="Not found")
        return web.FileResponse(target, headers={"Cache-Control": "no-store"})

    def command_for(self, student: str) -> str:
        """The app command for one student: their workspace, chosen on the server."""
        return app_command(self.workspaces[student])

    async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
        student = self._student(request)
        if self.sessions.get(student, 0) >= SESSIONS_PER_STUDENT:
            raise web.HTTPTooManyRequests(text=f"At most {SESSIONS_PER_STUDENT} sessions at "
                                          "once: close another tab first.")
        self.sessions[student] = self.sessions.get(student, 0) + 1
        try:
            return await self._session(request, student)
        finally:
            self.sessions[student] -= 1

    async def _session(self, request: web.Request, student: str) -> web.WebSocketResponse:
        websocket = web.WebSocketResponse(heartbeat=15)
        width = max(20, min(to_int(request.query.get("width", "80"), 80), 500))
        height = max(10, min(to_int(request.query.get("height", "24"), 24), 300))
        app_service: AppService | None = None
        try:
            await websocket.prepare(request)
            app_service = AppService(self.command_for(student), write_bytes=websocket.send_bytes,
                                     write_str=websocket.send_str, close=websocket.close,
                                     download_manager=self.download_manager, debug=False)
            await app_service.start(width, height)
            await self._process_messages(websocket, app_service)
        except asyncio.CancelledError:
            await websocket.close()
        except Exception:  # noqa: BLE001 - one student's broken session must not stop the lab
            log.exception("modl serve: the session of %s failed", student)
        finally:
            if app_service is not None:
                await app_service.stop()
        return websocket
