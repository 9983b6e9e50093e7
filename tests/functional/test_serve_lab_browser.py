"""`modl serve --roster` in real headless Chromium: two students, two apps, one stranger with none."""

from __future__ import annotations

import asyncio
import gc
import threading
from collections.abc import Iterator

import pytest

from modl_tutor.serve import issue_tokens, prepare_workspaces



@pytest.fixture()
def lab_server(tmp_path, bank) -> Iterator[tuple[str, dict, dict, list]]:  # type: ignore[no-untyped-def]
    from aiohttp import web

    from modl_tutor.serve_web import LabServer

    tokens, _ = issue_tokens(["ada", "bob"], tmp_path / "t.json")
    workspaces = prepare_workspaces(tmp_path / "ws", ["ada", "bob"], bank)
    started: list[tuple[str, str]] = []

    class Recording(LabServer):
        def command_for(self, student: str) -> str:
            command = super().command_for(student)
            started.append((student, command))
            return command

        async def handle_websocket(self, request):  # type: ignore[no-untyped-def]
            box["open"] = box.get("open", 0) + 1
            try:
                return await super().handle_websocket(request)
            finally:
                box["open"] -= 1
                if box["open"] == 0:
                    box["idle"].set()

    box: dict = {"idle": threading.Event()}
    server = Recording(tokens, workspaces, host="127.0.0.1", port=0)
    loop = asyncio.new_event_loop()
    ready = threading.Event()

    async def start() -> None:
        runner = web.AppRunner(await server.make_app(), handle_signals=False)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        box["runner"] = runner
        box["port"] = runner.addresses[0][1]
        ready.set()

    thread = threading.Thread(target=lambda: (loop.run_until_complete(start()),
                                              loop.run_forever()), daemon=True)
    thread.start()
    assert ready.wait(30)
    yield f"http://127.0.0.1:{box['port']}", tokens, workspaces, started
    if started:  # the browsers are closed: let each session stop its app process
        box["idle"].wait(60)

    async def finish() -> None:
        await box["runner"].cleanup()
        gc.collect()  # finished app processes' transports close while their loop still runs
        for _ in range(20):
            await asyncio.sleep(0)

    asyncio.run_coroutine_threadsafe(finish(), loop).result(30)
    loop.call_soon_threadsafe(loop.stop)
    thread.join(30)
    loop.close()


def test_two_students_get_their_own_app_and_a_stranger_gets_nothing(browser, lab_server):
    base, tokens, workspaces, started = lab_server
    stranger = browser.new_context()
    page = stranger.new_page()
    sockets: list[str] = []
    page.on("websocket", lambda ws: sockets.append(ws.url))
    response = page.goto(base + "/")
    assert response is not None and response.status == 404
    assert page.locator("canvas, .textual-terminal").count() == 0
    assert sockets == [] and started == []
    stranger.close()

    contexts = []
    for student in ("ada", "bob"):
        context = browser.new_context()
        page = context.new_page()
        page.on("websocket", lambda ws: sockets.append(ws.url))
        response = page.goto(f"{base}/s/{tokens[student]}/")
        assert response is not None and response.status == 200
        # the app process has drawn its first screen in this browser
        page.wait_for_selector("body.-first-byte", timeout=60_000)
        contexts.append(context)
    assert [s for s, _ in started] == ["ada", "bob"]
    for student, command in started:
        other = "bob" if student == "ada" else "ada"
        assert str(workspaces[student]) in command and str(workspaces[other]) not in command
    ws_base = base.replace("http://", "ws://")
    assert len(sockets) == 2
    for url, student in zip(sockets, ("ada", "bob")):
        assert url.startswith(f"{ws_base}/s/{tokens[student]}/ws")
    for context in contexts:
        context.close()
