"""`memveil keys` and `memveil serve`: keys shown once, a real server, logs without request data."""

from __future__ import annotations

import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from memveil.shared.cli import main

KEY_RE = re.compile(r"^mv_[A-Za-z0-9_\-]{32,}$")


def test_keys_create_list_revoke(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["keys", "create", "--data-dir", str(tmp_path), "--tenant", "acme"]) == 0
    out, err = capsys.readouterr()
    key = out.strip()
    assert KEY_RE.match(key) and out == key + "\n"
    key_id = re.search(r"key_[0-9a-f]+", err).group(0)  # type: ignore[union-attr]

    assert main(["keys", "list", "--data-dir", str(tmp_path)]) == 0
    listing = capsys.readouterr().out
    assert key_id in listing and "acme" in listing and "active" in listing and key not in listing
    assert key.encode() not in (tmp_path / "keys.sqlite3").read_bytes()

    assert main(["keys", "revoke", "--data-dir", str(tmp_path), key_id]) == 0
    assert main(["keys", "revoke", "--data-dir", str(tmp_path), key_id]) == 1
    main(["keys", "list", "--data-dir", str(tmp_path)])
    assert "revoked" in capsys.readouterr().out


def test_keys_create_refuses_a_bad_tenant_name(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["keys", "create", "--data-dir", str(tmp_path), "--tenant", "no spaces"]) == 2
    assert capsys.readouterr().out == ""


def _run(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)


def test_commands_module_imports_nothing_heavy() -> None:
    result = _run(
        "import sys, memveil.cloud.commands\n"
        "heavy = {'fastapi', 'uvicorn', 'numpy', 'onnxruntime', 'tokenizers', 'torch'} & set(sys.modules)\n"
        "print(sorted(heavy))"
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def test_serve_without_the_cloud_extra_says_which_to_install(tmp_path: Path) -> None:
    result = _run(
        "import sys\nsys.modules['uvicorn'] = None\n"
        "from memveil.shared.cli import main\n"
        f"sys.exit(main(['serve', '--data-dir', {str(tmp_path)!r}]))"
    )
    assert result.returncode == 3
    assert "memveil[cloud]" in result.stderr


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_serve_runs_the_api_and_logs_no_request_data(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    main(["keys", "create", "--data-dir", str(tmp_path), "--tenant", "acme"])
    key = capsys.readouterr().out.strip()
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "memveil.shared.cli", "serve", "--data-dir", str(tmp_path), "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if httpx.get(f"{base}/healthz").status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert server.poll() is None and time.monotonic() < deadline, "server did not start"
            time.sleep(0.05)
        headers = {"Authorization": f"Bearer {key}"}
        body = {"messages": [{"role": "user", "content": "I keep bees named Zorblatt on my roof."}], "user_id": "user-7f3a"}
        assert httpx.post(f"{base}/v1/memories", json=body, headers=headers).status_code == 200
        assert httpx.get(f"{base}/v1/memories", params={"user_id": "user-7f3a"}, headers=headers).status_code == 200
        assert httpx.post(f"{base}/v1/memories", content=b'{"oops": "Zorblatt', headers=headers).status_code == 422
    finally:
        server.send_signal(signal.SIGINT)
        logs, _ = server.communicate(timeout=30)
    assert "POST /v1/memories 200" in logs and "GET /v1/memories 200" in logs and "POST /v1/memories 422" in logs
    assert "Zorblatt" not in logs and "user-7f3a" not in logs and "user_id" not in logs
