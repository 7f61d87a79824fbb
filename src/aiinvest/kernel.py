"""The project's Jupyter kernel: this environment's Python, with autoreload on."""

import json
import os
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

KERNEL_NAME = "aiinvest"
DISPLAY_NAME = "Python (aiinvest)"
AUTORELOAD_ARGS = [
    "--InteractiveShellApp.extensions=autoreload",
    "--InteractiveShellApp.exec_lines=%autoreload 2",
]


# What a build's kernel imports as it starts, while the build checks its parameters: the report's modules.
PRELOAD = "aiinvest.report.document"
# nbclient gives the kernels it starts an in-memory history (no SQLite file to write); so does a build.
MEMORY_HISTORY = "--HistoryManager.hist_file=:memory:"
ASYNC_CLIENT = "jupyter_client.asynchronous.AsyncKernelClient"  # the client nbclient drives a kernel with

# The longest path a Unix socket may have: 103 bytes on macOS, 107 on Linux.
SOCKET_PATH_MAX = 103


@contextmanager
def ipc_kernel_config() -> Iterator:
    """Kernel-manager configuration (a traitlets Config) for a kernel only this process talks to: ZeroMQ over
    Unix sockets in a private temporary folder (mode 700) rather than TCP on loopback, for as long as the block
    runs. Over TCP, ipykernel warns on every start ("Kernel is running over TCP without encryption"); IPC needs
    no ports either, so parallel builds never compete for one. The socket path is absolute (the kernel runs in
    another folder) and unique to the kernel. Without Unix sockets, or when the temporary folder's path is too
    long for one, the kernel keeps TCP (and ipykernel its warning)."""
    from traitlets.config import Config  # (traitlets comes with papermill, imported by the caller anyway)

    with tempfile.TemporaryDirectory(prefix="aiinvest-kernel-") as folder:
        prefix = os.path.join(folder, "k")  # the sockets are k-1 .. k-5
        ipc = os.name == "posix" and len(os.fsencode(prefix)) + len("-5") <= SOCKET_PATH_MAX
        yield Config({"KernelManager": {"transport": "ipc", "ip": prefix}} if ipc else {})


@contextmanager
def started_kernel(cwd: Path, env: dict[str, str]) -> Iterator:
    """The project's kernel, started now, in its own process (it starts, and imports the report's modules, while
    the caller goes on): a jupyter_client KernelManager whose client is asynchronous, as nbclient wants. Whoever
    uses it may shut it down; whatever happens in the block, the kernel is shut down at its end."""
    from jupyter_client.manager import KernelManager  # (jupyter_client comes with papermill)

    preload = f"--InteractiveShellApp.exec_lines=__import__({PRELOAD!r})"  # added to the kernel's own exec_lines
    with ipc_kernel_config() as config:
        km = KernelManager(kernel_name=ensure_kernel(), config=config, client_class=ASYNC_CLIENT)
        try:
            km.start_kernel(cwd=str(cwd), env=env, extra_arguments=[MEMORY_HISTORY, preload])
            yield km
        finally:
            shut_down(km)


def shut_down(km) -> None:
    """Stop a kernel at once (nothing in it is left to save) and remove its connection file, if it still runs."""
    if km.has_kernel:
        km.shutdown_kernel(now=True)


def ensure_kernel() -> str:
    """The project kernel's name, after registering it here if this environment does not have it yet."""
    spec = Path(sys.prefix) / "share" / "jupyter" / "kernels" / KERNEL_NAME / "kernel.json"
    if not spec.is_file() or json.loads(spec.read_text(encoding="utf-8"))["argv"][0] != sys.executable:
        install_kernel()
    return KERNEL_NAME


def install_kernel(prefix: str = sys.prefix) -> Path:
    """Register the kernel in this environment (sys.prefix); return its folder."""
    from ipykernel.kernelspec import install  # imported here: 0.3 s, unneeded by a build that finds the kernel

    folder = Path(install(kernel_name=KERNEL_NAME, display_name=DISPLAY_NAME, prefix=prefix))
    spec_path = folder / "kernel.json"
    spec = json.loads(spec_path.read_text(encoding="utf-8"))
    spec["argv"] = [arg for arg in spec["argv"] if arg not in AUTORELOAD_ARGS] + AUTORELOAD_ARGS
    spec.setdefault("metadata", {})["debugger"] = True
    spec_path.write_text(json.dumps(spec, indent=1) + "\n", encoding="utf-8")
    return folder
