"""Prefect settings that must be in place before prefect is imported."""

from __future__ import annotations

import os
import urllib.request
from pathlib import Path

PACKAGE_ROOT = Path(__file__).resolve().parent.parent
UI_HOST = "127.0.0.1"
UI_PORT = 4200


def project_root() -> Path:
    """The checkout (editable install), else the working directory."""
    return PACKAGE_ROOT if (PACKAGE_ROOT / "pyproject.toml").exists() else Path.cwd()


def configure_prefect() -> None:
    """Keep Prefect's state inside the project, quiet, and patient with slow starts.

    Only defaults: anything the user exported wins.
    """
    os.environ.setdefault("PREFECT_HOME", str(project_root() / ".prefect"))
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    # The ephemeral API needs more than the default 20 s to start on a 2-core machine.
    os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "120")
    os.environ.setdefault("PREFECT_UI_ENABLED", "true")


def ui_api_url() -> str:
    host = os.environ.get("NEWSDEDUP_UI_HOST", UI_HOST)
    port = os.environ.get("NEWSDEDUP_UI_PORT", str(UI_PORT))
    return f"http://{host}:{port}/api"


def use_running_ui() -> str | None:
    """Point Prefect at `newsdedup ui`'s server when it is up, so runs show there;
    otherwise Prefect starts its ephemeral API on the same SQLite database."""
    if os.environ.get("PREFECT_API_URL"):
        return os.environ["PREFECT_API_URL"]
    url = ui_api_url()
    try:
        with urllib.request.urlopen(f"{url}/health", timeout=1) as response:
            if response.status == 200:
                os.environ["PREFECT_API_URL"] = url
                return url
    except OSError:
        pass
    return None
