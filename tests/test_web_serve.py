"""``propscope serve`` as a user starts it: a real process on a free loopback port."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

httpx = pytest.importorskip("httpx")
pytest.importorskip("uvicorn")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_serve_binds_loopback_stores_and_serves(tmp_path: Path) -> None:
    port = free_port()
    db = tmp_path / "served.db"
    cmd = [sys.executable, "-m", "propscope.cli.main", "serve", "--db", str(db), "--port", str(port)]
    proc = subprocess.Popen(
        [*cmd, "--analyzers", "language"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            assert proc.poll() is None, proc.communicate()[1]
            try:
                if httpx.get(base + "/", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                assert time.monotonic() < deadline, "server did not start"
                time.sleep(0.2)
        text = "The harvest in the north was larger this year than anyone had expected it to be."
        r = httpx.post(base + "/api/articles", json={"text": text}, timeout=60)
        assert r.status_code == 201 and r.json()["document"]["language"] == "en"
        assert httpx.get(f"{base}/articles/{r.json()['id']}", timeout=10).status_code == 200
        busy = subprocess.run(cmd, capture_output=True, text=True, timeout=60)  # the same port again
        assert busy.returncode == 2
        assert busy.stderr.strip().startswith(f"propscope: error: cannot listen on 127.0.0.1:{port}")
    finally:
        proc.terminate()
        proc.wait(timeout=20)
    assert db.exists()


def test_serve_passes_the_model_switches_to_the_app(tmp_path: Path, monkeypatch) -> None:
    import uvicorn

    from propscope.cli.main import main
    from propscope.models import onnx_cpu
    from propscope.web import app as web_app

    seen = {}

    def fake_app(store, analyzers, options, max_body):
        seen["options"] = options
        return object()

    monkeypatch.setattr(web_app, "create_app", fake_app)
    monkeypatch.setattr(uvicorn, "run", lambda *a, **k: None)
    monkeypatch.setattr(onnx_cpu, "slow_int8", lambda: False)  # a VNNI processor: "auto" is accurate
    db = str(tmp_path / "s.db")
    assert main(["serve", "--db", db, "--port", str(free_port()), "--fast-techniques"]) == 0
    assert seen["options"] == {"techniques": {"fast": True}}
    assert main(["serve", "--db", db, "--port", str(free_port()), "--role-encoder"]) == 0
    assert seen["options"] == {"entities": {"role_encoder": "full"}}
    assert main(["serve", "--db", db, "--port", str(free_port()), "--fast-roles"]) == 0
    assert seen["options"] == {"entities": {"role_encoder": "none"}}
    assert main(["serve", "--db", db, "--port", str(free_port())]) == 0
    assert seen["options"] == {}
    assert main(["serve", "--db", db, "--port", str(free_port()), "--profile", "fast"]) == 0
    assert seen["options"] == {"entities": {"role_encoder": "none"}, "techniques": {"fast": True}}
