"""The Debian/Ubuntu packages the apps need (Qt's xcb libraries, espeak-ng...), checked before `make demo`.

The list lives in ``.ci/apt-packages.txt``, read by CI's ``.ci/run`` too, so the demo and the
tests never disagree on what a fresh machine needs.
"""
from __future__ import annotations

import os
import shlex
import shutil
import subprocess
from pathlib import Path

from lobby.config import PROJECT_ROOT

PACKAGE_LIST = PROJECT_ROOT / ".ci" / "apt-packages.txt"


def required_packages(path: Path = PACKAGE_LIST) -> list[str]:
    """The package names in ``path`` (comments after "#" ignored); empty when the file is absent."""
    if not path.exists():
        return []
    names: list[str] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        names.extend(line.split("#", 1)[0].split())
    return names


def missing_packages(names: list[str]) -> list[str]:
    """Those of ``names`` dpkg does not report installed; empty where there is no dpkg (not Debian)."""
    if not names or shutil.which("dpkg-query") is None:
        return []
    done = subprocess.run(["dpkg-query", "-W", "-f=${Package} ${Status}\n", *names],
                          capture_output=True, text=True, check=False)
    installed = {line.split()[0] for line in done.stdout.splitlines() if line.endswith("install ok installed")}
    return [n for n in names if n not in installed]


def install_command(missing: list[str]) -> str:
    """The exact command a person runs to install ``missing``."""
    return "sudo apt-get update && sudo apt-get install -y " + " ".join(shlex.quote(n) for n in missing)


def ensure_packages(names: list[str] | None = None) -> str | None:
    """Install what is missing when running as root with apt-get; else return one line saying what to run.

    None when nothing is missing (or everything was installed)."""
    missing = missing_packages(required_packages() if names is None else names)
    if not missing:
        return None
    if os.geteuid() == 0 and shutil.which("apt-get"):
        print(f"make demo: installing the system packages the apps need: {' '.join(missing)}", flush=True)
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run(["apt-get", "update", "-qq"], env=env, check=False)
        done = subprocess.run(["apt-get", "install", "-y", "-qq", *missing], env=env, check=False)
        if done.returncode == 0:
            return None
        return f"apt-get could not install {' '.join(missing)}; install them by hand: {install_command(missing)}"
    return f"system packages missing ({' '.join(missing)}); install them first: {install_command(missing)}"
