"""The project's Jupyter kernel: this environment's Python, with autoreload on."""

import json
import sys
from pathlib import Path

KERNEL_NAME = "aiinvest"
DISPLAY_NAME = "Python (aiinvest)"
AUTORELOAD_ARGS = [
    "--InteractiveShellApp.extensions=autoreload",
    "--InteractiveShellApp.exec_lines=%autoreload 2",
]


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
