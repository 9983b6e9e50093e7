"""`modl serve` for a lab: loopback rule, roster errors, tokens, and token -> own workspace only."""

from __future__ import annotations

import asyncio
import os
import stat
from pathlib import Path
from typing import ClassVar

import pytest

from modl_tutor.cli import main
from modl_tutor.serve import (ServeError, TokenTable, check_bind, is_loopback, issue_tokens,
                              load_roster, prepare_workspaces, token_file_for)


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("host", ["localhost", "127.0.0.1", "127.1.2.3", "::1", "[::1]"])
def test_loopback_hosts_are_allowed_without_a_roster(host):
    assert is_loopback(host)
    check_bind(host, None)


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "192.168.1.5", "lab.example.org", ""])
def test_other_hosts_need_a_roster(host):
    assert not is_loopback(host)
    with pytest.raises(ServeError, match="--roster"):
        check_bind(host, None)
    check_bind(host, Path("class.csv"))


def test_cli_refuses_a_public_bind_without_roster_in_one_line(runner, tmp_path):
    result = runner.invoke(main, ["serve", "--host", "0.0.0.0", "-w", str(tmp_path)])
    assert result.exit_code == 2
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and "--roster" in lines[0] and "Traceback" not in result.output


@pytest.mark.parametrize("text, where, what", [
    ("", "class.csv", "empty roster"),
    ("name,section\nAda,1\n", "class.csv: line 1", "id column"),
    ("id,name\n", "class.csv", "no students"),
    ("id,name\nada,Ada\n..,Dot\n", "class.csv: line 3", "not a student id"),
    ("id,name\nada,Ada\n../bob,Bob\n", "class.csv: line 3", "not a student id"),
    ("id,name\nada,Ada\n.hidden,X\n", "class.csv: line 3", "not a student id"),
    ("name,id\nAda,ada\n\nBob\n", "class.csv: line 4", "too few columns"),
    ("id\nada\nbob\nADA\n", "class.csv: line 4", "repeats line 2"),
])
def test_roster_errors_are_one_line_naming_file_and_line(tmp_path, text, where, what):
    roster = write(tmp_path / "class.csv", text)
    with pytest.raises(ServeError) as caught:
        load_roster(roster)
    message = str(caught.value)
    assert "\n" not in message and where in message and what in message


def test_roster_reads_ids_from_the_id_column(tmp_path):
    roster = write(tmp_path / "class.csv", "\ufeffName,SIS User ID\nAda,ada1\n\nBob,b.o+b@x\n")
    assert load_roster(roster) == ["ada1", "b.o+b@x"]


def test_unreadable_roster_is_one_line(tmp_path):
    with pytest.raises(ServeError, match="missing.csv: cannot be read"):
        load_roster(tmp_path / "missing.csv")


def test_tokens_are_issued_once_private_and_kept(tmp_path):
    path = token_file_for(tmp_path / "class.csv")
    tokens, new = issue_tokens(["ada", "bob"], path)
    assert new == ["ada", "bob"] and len(set(tokens.values())) == 2
    assert all(len(t) >= 32 for t in tokens.values())
    if os.name == "posix":
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    again, new_again = issue_tokens(["ada", "bob", "cy"], path)
    assert new_again == ["cy"]
    assert again["ada"] == tokens["ada"] and again["bob"] == tokens["bob"]
    only_ada, _ = issue_tokens(["ada"], path)
    assert list(only_ada) == ["ada"]


@pytest.mark.skipif(os.name != "posix", reason="file modes")
def test_a_token_file_others_can_read_is_refused(tmp_path):
    path = token_file_for(tmp_path / "class.csv")
    issue_tokens(["ada"], path)
    path.chmod(0o644)
    with pytest.raises(ServeError, match="readable by other users"):
        issue_tokens(["ada"], path)


def test_a_corrupt_token_file_is_one_line(tmp_path):
    path = token_file_for(tmp_path / "class.csv")
    path.touch(mode=0o600)
    path.write_text('{"tokens": {"ada": "short"}}')
    with pytest.raises(ServeError, match="not a valid token"):
        issue_tokens(["ada"], path)


def test_token_table_accepts_exactly_the_issued_tokens(tmp_path):
    tokens, _ = issue_tokens(["ada", "bob"], tmp_path / "t.json")
    table = TokenTable(tokens)
    assert table.student(tokens["ada"]) == "ada" and table.student(tokens["bob"]) == "bob"
    for wrong in ("", "ada", tokens["ada"][:-1], tokens["ada"] + "x", tokens["ada"].upper(),
                  "../" + tokens["ada"], "x" * 40):
        assert table.student(wrong) is None


@pytest.fixture(scope="module")
def lab(tmp_path_factory, bank):  # type: ignore[no-untyped-def]
    base = tmp_path_factory.mktemp("lab")
    tokens, _ = issue_tokens(["ada", "bob"], base / "t.json")
    workspaces = prepare_workspaces(base / "ws", ["ada", "bob"], bank)
    return tokens, workspaces


def test_workspaces_are_created_per_student_with_their_id(lab):
    _, workspaces = lab
    for student, folder in workspaces.items():
        assert folder.name == student
        assert f'id = "{student}"' in (folder / "modl.toml").read_text()


@pytest.mark.skipif(os.name != "posix", reason="symlinks")
def test_a_linked_student_folder_is_refused(tmp_path, bank):
    (tmp_path / "ws").mkdir()
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "ws" / "ada").symlink_to(tmp_path / "elsewhere")
    with pytest.raises(ServeError, match="is a link"):
        prepare_workspaces(tmp_path / "ws", ["ada"], bank)


class FakeAppService:
    """Records the command a session would run instead of starting the app."""

    started: ClassVar[list[str]] = []

    def __init__(self, command: str, **_: object) -> None:
        self.command = command

    async def start(self, width: int, height: int) -> None:
        FakeAppService.started.append(self.command)

    async def stop(self) -> None:
        return None


def test_http_no_token_gets_nothing_and_a_token_opens_only_its_workspace(lab, monkeypatch):
    from aiohttp.test_utils import TestClient, TestServer

    from modl_tutor import serve_web

    tokens, workspaces = lab
    monkeypatch.setattr(serve_web, "AppService", FakeAppService)
    FakeAppService.started = []
    server = serve_web.LabServer(tokens, workspaces, host="127.0.0.1", port=1)

    async def scenario() -> None:
        async with TestClient(TestServer(await server.make_app())) as client:
            for path in ("/", "/ws", "/static/js/textual.js", "/download/x", "/s/", "/s/x/",
                         f"/s/{tokens['ada'][:-1]}/", f"/s/{tokens['ada']}x/ws",
                         "/s/nope/static/js/textual.js",
                         f"/s/{tokens['ada']}/static/../templates/app_index.html",
                         f"/s/{tokens['ada']}/static/%2e%2e/server.py"):
                response = await client.get(path)
                body = await response.text()
                assert response.status in (403, 404), path
                assert "textual" not in body.lower() and "modl_tutor" not in body, path
            page = await client.get(f"/s/{tokens['ada']}/?workspace=/etc")
            html = await page.text()
            assert page.status == 200 and page.headers["Cache-Control"] == "no-store"
            assert f"/s/{tokens['ada']}/ws" in html and tokens["bob"] not in html
            script = await client.get(f"/s/{tokens['ada']}/static/js/textual.js")
            assert script.status == 200
            for student in ("ada", "bob"):
                url = f"/s/{tokens[student]}/ws?width=90&height=30&workspace=../bob"
                socket = await client.ws_connect(url)
                await socket.close()

    asyncio.run(scenario())
    assert len(FakeAppService.started) == 2
    ada, bob = FakeAppService.started
    assert str(workspaces["ada"]) in ada and str(workspaces["bob"]) not in ada
    assert str(workspaces["bob"]) in bob and str(workspaces["ada"]) not in bob


def test_cli_roster_prints_each_link_once_and_serves(runner, tmp_path, monkeypatch):
    from modl_tutor import serve_web

    served: list = []
    monkeypatch.setattr(serve_web.LabServer, "serve", lambda self: served.append(self))
    roster = write(tmp_path / "class.csv", "id,name\nada,Ada\nbob,Bob\n")
    argv = ["serve", "--roster", str(roster), "--host", "0.0.0.0",
            "--public-url", "http://lab.example:8000/"]
    first = runner.invoke(main, argv)
    assert first.exit_code == 0, first.output
    links = [ln for ln in first.output.splitlines() if "\thttp://lab.example:8000/s/" in ln]
    assert [ln.split("\t")[0] for ln in links] == ["ada", "bob"]
    second = runner.invoke(main, argv)
    assert second.exit_code == 0 and "/s/" not in second.output
    assert "2 students keep" in second.output
    server = served[-1]
    assert set(server.workspaces) == {"ada", "bob"}
    assert server.workspaces["ada"] == (tmp_path / "workspaces" / "ada").resolve()
    token = links[0].split("/s/")[1].strip("/")
    assert server.table.student(token) == "ada"


def test_cli_bad_roster_is_one_line(runner, tmp_path):
    roster = write(tmp_path / "class.csv", "id\nada\n..\n")
    result = runner.invoke(main, ["serve", "--roster", str(roster)])
    assert result.exit_code == 2
    assert result.output.strip().count("\n") == 0 and "class.csv: line 3" in result.output


def test_one_link_cannot_start_more_than_a_few_apps(lab, monkeypatch):
    from aiohttp import WSServerHandshakeError
    from aiohttp.test_utils import TestClient, TestServer

    from modl_tutor import serve_web

    tokens, workspaces = lab
    monkeypatch.setattr(serve_web, "AppService", FakeAppService)
    FakeAppService.started = []
    server = serve_web.LabServer(tokens, workspaces, host="127.0.0.1", port=1)
    cap = serve_web.SESSIONS_PER_STUDENT

    async def scenario() -> None:
        async with TestClient(TestServer(await server.make_app())) as client:
            ada = f"/s/{tokens['ada']}/ws"
            sockets = [await client.ws_connect(ada) for _ in range(cap)]
            with pytest.raises(WSServerHandshakeError) as refused:
                await client.ws_connect(ada)
            assert refused.value.status == 429
            other = await client.ws_connect(f"/s/{tokens['bob']}/ws")  # bob is not affected
            await other.close()
            await sockets[0].close()
            for _ in range(100):  # the server notices the closed socket
                if server.sessions["ada"] < cap:
                    break
                await asyncio.sleep(0.01)
            again = await client.ws_connect(ada)
            for socket in (again, *sockets[1:]):
                await socket.close()

    asyncio.run(scenario())
    assert len(FakeAppService.started) == cap + 2


def test_a_lab_needs_the_full_sandbox_unless_accepted(runner, tmp_path, monkeypatch):
    from modl_tutor import serve_web

    monkeypatch.setattr("modl_tutor.batch.verify.sandbox_warning", lambda: "limits only")
    monkeypatch.setattr(serve_web.LabServer, "serve", lambda self: None)
    roster = write(tmp_path / "class.csv", "id\nada\n")
    refused = runner.invoke(main, ["serve", "--roster", str(roster)])
    assert refused.exit_code == 2 and "--allow-weak-sandbox" in refused.output
    assert not token_file_for(roster).exists()
    accepted = runner.invoke(main, ["serve", "--roster", str(roster), "--allow-weak-sandbox"])
    assert accepted.exit_code == 0, accepted.output
    assert "warning: limits only" in accepted.output


@pytest.mark.parametrize("public_url, headers, scheme", [
    ("http://lab:8000", {}, "ws://"),
    ("https://lab.example", {}, "wss://"),
    ("http://lab:8000", {"X-Forwarded-Proto": "https"}, "wss://"),
])
def test_the_page_uses_a_secure_socket_behind_https(lab, public_url, headers, scheme):
    from aiohttp.test_utils import TestClient, TestServer

    from modl_tutor import serve_web

    tokens, workspaces = lab
    server = serve_web.LabServer(tokens, workspaces, host="127.0.0.1", port=1,
                                 public_url=public_url)

    async def scenario() -> str:
        async with TestClient(TestServer(await server.make_app())) as client:
            page = await client.get(f"/s/{tokens['bob']}/", headers=headers)
            return await page.text()

    html = asyncio.run(scenario())
    assert f"{scheme}127.0.0.1:" in html and f"/s/{tokens['bob']}/ws" in html
    assert ("wss://" in html) == (scheme == "wss://")


def test_unusable_root_or_token_folder_is_one_line(runner, tmp_path):
    roster = write(tmp_path / "class.csv", "id\nada\n")
    (tmp_path / "afile").write_text("x")
    result = runner.invoke(main, ["serve", "--roster", str(roster), "--root",
                                  str(tmp_path / "afile" / "ws")])
    assert result.exit_code == 2 and "cannot hold the workspaces" in result.output
    assert result.output.strip().count("\n") == 0
    with pytest.raises(ServeError, match="t.json: cannot be read"):
        issue_tokens(["ada"], tmp_path / "afile" / "t.json")
    if os.name == "posix" and os.geteuid() != 0:  # root writes anywhere
        locked = tmp_path / "locked"
        locked.mkdir(mode=0o500)
        with pytest.raises(ServeError, match="t.json: cannot be written"):
            issue_tokens(["ada"], locked / "t.json")
