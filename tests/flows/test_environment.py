"""Prefect's settings for this project are in force in the CLI's process."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_cli_sets_prefects_settings_before_anything_imports_prefect():
    # Prefect reads its settings when first imported: a setting put in the environment
    # afterwards is ignored in that process (the ephemeral API's startup allowance was).
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    code = (
        "import flows.cli, flows.runners, flows.ingest\n"
        "from prefect.settings import PREFECT_HOME, "
        "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS as STARTUP\n"
        "print(STARTUP.value(), PREFECT_HOME.value())\n"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, check=True,
                         capture_output=True, text=True).stdout.split()
    assert out == ["120", str(ROOT / ".prefect")]
