"""`benny run` before and after the app: ports and hosts it cannot listen on are refused in one
line, and an app that stops without being asked to is a failure, whatever Chainlit's status."""

from __future__ import annotations

import os
import signal
import socket
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli import app
from cli.ops import serve_until_stopped
from tests.conftest import NOW

runner = CliRunner()


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    return {"DATABASE_URL": f"sqlite:///{tmp_path / 'cli.db'}", "BENNY_NOW": NOW.isoformat()}


@pytest.fixture
def taken_port() -> Iterator[int]:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        yield int(sock.getsockname()[1])


def _run(env: dict[str, str], *args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, ["run", *args], env=env)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize("port", ["-1", "0", "70000"])
def test_a_port_out_of_range_is_refused_with_status_2(env: dict[str, str], port: str) -> None:
    assert _run(env, "--port", port) == (2, "", f"error: --port must be between 1 and 65535, got {port}\n")


def test_a_port_in_use_is_refused_before_the_app_starts(env: dict[str, str], taken_port: int) -> None:
    code, out, err = _run(env, "--port", str(taken_port))
    assert (code, out) == (1, "")
    assert err == (
        f"error: cannot listen on 127.0.0.1:{taken_port}: address already in use "
        "(another process has it; pick another --port)\n"
    )


@pytest.mark.parametrize(
    ("host", "reason"),
    [
        ("host.invalid", "error: --host 'host.invalid' is not an address to listen on: "),
        ("192.0.2.1", "error: cannot listen on 192.0.2.1:8000: cannot assign requested address"),  # not ours
    ],
)
def test_a_host_it_cannot_listen_on_is_refused_with_status_2(
    env: dict[str, str], host: str, reason: str
) -> None:
    code, out, err = _run(env, "--host", host, "--port", "8000")
    assert (code, out) == (2, "")
    assert err.startswith(reason) and err.count("\n") == 1


def _python(code: str) -> list[str]:
    return [sys.executable, "-c", code]


def test_an_app_that_exits_on_its_own_is_a_failure_even_with_status_0(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # What Chainlit does when another process takes the port between the check and its bind.
    assert serve_until_stopped(_python("pass"), cwd=tmp_path, env={}) == 1
    err = capsys.readouterr().err
    assert err == "error: the app stopped without being asked to (status 0); its log is above\n"
    assert serve_until_stopped(_python("raise SystemExit(3)"), cwd=tmp_path, env={}) == 3


def _terminate_once_forwarded(before: object) -> None:
    """SIGTERM to this process, as a process manager sends it, once `benny run` passes it on."""
    deadline = time.monotonic() + 20
    while signal.getsignal(signal.SIGTERM) is before and time.monotonic() < deadline:
        time.sleep(0.05)  # polling: nothing signals that the handler is in place
    os.kill(os.getpid(), signal.SIGTERM)  # to the process (its main thread), not to this thread


def test_a_sigterm_is_passed_on_and_the_apps_status_kept(tmp_path: Path) -> None:
    before = signal.getsignal(signal.SIGTERM)
    sender = threading.Thread(target=_terminate_once_forwarded, args=(before,))
    sender.start()
    started = time.monotonic()
    status = serve_until_stopped(_python("import time; time.sleep(30)"), cwd=tmp_path, env={})
    sender.join()
    assert status == 128 + signal.SIGTERM  # the app ended by the signal passed on, as a shell reports it
    assert time.monotonic() - started < 20
    assert signal.getsignal(signal.SIGTERM) is before  # the handler is put back
