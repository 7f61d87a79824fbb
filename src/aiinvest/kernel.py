"""The project's Jupyter kernel: this environment's Python, with autoreload on."""

import json
import sys
from pathlib import Path

from ipykernel.kernelspec import install

KERNEL_NAME = "aiinvest"
DISPLAY_NAME = "Python (aiinvest)"
AUTORELOAD_ARGS = [
    "--InteractiveShellApp.extensions=autoreload",
    "--InteractiveShellApp.exec_lines=%autoreload 2",
]


def install_kernel(prefix: str = sys.prefix) -> Path:
    """Register the kernel in this environment (sys.prefix); return its folder."""
    folder = Path(install(kernel_name=KERNEL_NAME, display_name=DISPLAY_NAME, prefix=prefix))
    spec_path = folder / "kernel.json"
    spec = json.loads(spec_path.read_text(encoding="utf-8"))
    spec["argv"] = [arg for arg in spec["argv"] if arg not in AUTORELOAD_ARGS] + AUTORELOAD_ARGS
    spec.setdefault("metadata", {})["debugger"] = True
    spec_path.write_text(json.dumps(spec, indent=1) + "\n", encoding="utf-8")
    return folder
