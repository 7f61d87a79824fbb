"""A real Jupyter server on loopback runs the project's kernel, which imports the package."""

import json
import sys
import urllib.request
import uuid
from pathlib import Path

import websocket
from fixtures import SEED_DIR

from aiinvest.kernel import KERNEL_NAME, ipc_kernel_config


def api(base, token, path, method="GET", body=None):
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(
        f"{base}{path}",
        data=data,
        method=method,
        headers={"Authorization": f"token {token}", "Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        text = response.read().decode()
        return json.loads(text) if text else None


def execute(base, token, kernel_id, code, timeout=60) -> tuple[list[str], dict]:
    """Run code in a kernel over the websocket channels; return its text outputs and reply."""
    ws = websocket.create_connection(
        f"{base.replace('http', 'ws')}/api/kernels/{kernel_id}/channels?token={token}", timeout=timeout
    )
    msg_id = uuid.uuid4().hex
    ws.send(
        json.dumps(
            {
                "header": {
                    "msg_id": msg_id,
                    "username": "test",
                    "session": uuid.uuid4().hex,
                    "msg_type": "execute_request",
                    "version": "5.3",
                },
                "parent_header": {},
                "metadata": {},
                "channel": "shell",
                "content": {
                    "code": code,
                    "silent": False,
                    "store_history": False,
                    "user_expressions": {},
                    "allow_stdin": False,
                    "stop_on_error": True,
                },
            }
        )
    )
    outputs, reply, idle = [], None, False
    while reply is None or not idle:
        message = json.loads(ws.recv())
        if message.get("parent_header", {}).get("msg_id") != msg_id:
            continue
        kind = message["msg_type"]
        if kind == "stream":
            outputs.append(message["content"]["text"])
        elif kind in {"execute_result", "display_data"}:
            outputs.append(message["content"]["data"].get("text/plain", ""))
        elif kind == "error":
            outputs.append("\n".join(message["content"]["traceback"]))
        elif kind == "execute_reply":
            reply = message["content"]
        elif kind == "status" and message["content"]["execution_state"] == "idle":
            idle = True
    ws.close()
    return outputs, reply


def test_project_kernel_is_listed(jupyter):
    base, token, _ = jupyter
    specs = api(base, token, "/api/kernelspecs")["kernelspecs"]
    assert KERNEL_NAME in specs
    assert specs[KERNEL_NAME]["spec"]["display_name"] == "Python (aiinvest)"


def test_kernel_imports_the_package_and_loads_the_data(jupyter):
    base, token, _ = jupyter
    kernel = api(base, token, "/api/kernels", method="POST", body={"name": KERNEL_NAME})
    try:
        code = (
            "import pathlib, sys, aiinvest\n"
            "from aiinvest.data.load import load_tables\n"
            "from aiinvest.analysis.reconcile import reconcile\n"
            f"t = load_tables(pathlib.Path({str(SEED_DIR)!r}))\n"
            "f = reconcile(t, t['sources']['published_date'].max()).funding_at('anthropic')\n"
            "print(sys.prefix, len(t['investments']), f.named_usd, f.unattributed_usd, f.total_qualifier)\n"
            "ip = get_ipython()\n"
            "print('IPython.extensions.autoreload' in ip.extension_manager.loaded,"
            " ip.magics_manager.registry['AutoreloadMagics']._reloader.enabled)"
        )
        outputs, reply = execute(base, token, kernel["id"], code)
        assert reply["status"] == "ok", outputs
        first, second = "".join(outputs).strip().splitlines()
        prefix, rows, named, rest, qualifier = first.split()
        assert Path(prefix).resolve() == Path(sys.prefix).resolve()
        assert (int(rows), float(named), float(rest), qualifier) == (6, 6e9, 4e9, "at_least")
        assert second == "True True"  # autoreload loaded and on (%autoreload 2)
    finally:
        api(base, token, f"/api/kernels/{kernel['id']}", method="DELETE")


def test_the_build_kernel_talks_over_private_unix_sockets():
    with ipc_kernel_config() as config:
        manager = config.KernelManager
        folder = Path(manager.ip).parent
        assert manager.transport == "ipc" and Path(manager.ip).is_absolute()  # the kernel runs in notebooks/
        assert folder.is_dir() and folder.stat().st_mode & 0o077 == 0  # no other user may connect
    assert not folder.exists()
