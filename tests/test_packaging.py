"""The installable package holds every app: the Docker image installs it, not the source tree."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

from django.conf import settings

ROOT = Path(__file__).resolve().parent.parent


def test_the_wheel_contains_every_app_and_its_migrations(tmp_path):
    # A copy of the source, so that no build directory left in the checkout can fill the gaps.
    source = tmp_path / "source"
    shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns(".git", ".venv", "build", "*.egg-info", "node_modules"))
    result = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(tmp_path), str(source)],
        capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    (wheel,) = tmp_path.glob("kbportal-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    apps = {app.split(".")[0] for app in settings.INSTALLED_APPS if (ROOT / app.split(".")[0] / "__init__.py").exists()}
    ours = apps | {settings.ROOT_URLCONF.split(".")[0]}
    assert {"kbportal", "tenants", "articles", "permissions", "search"} <= ours
    for package in ours:
        sources = {str(path.relative_to(ROOT)) for path in (ROOT / package).rglob("*.py")}
        missing = sorted(sources - names)
        assert not missing, f"{package}: not in the wheel: {missing[:5]}"
