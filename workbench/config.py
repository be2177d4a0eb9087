"""Settings read from the environment: one place that says where the data lives."""

from __future__ import annotations

import os
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = REPO_ROOT / "data"
DEFAULT_DATABASE_URL = f"sqlite:///{DATA_DIR / 'workbench.db'}"
DATABASE_URL_VARIABLE = "WORKBENCH_DATABASE_URL"
# Pins "today" for tests, demos and screenshots (see workbench/clock.py).
TODAY_VARIABLE = "WORKBENCH_TODAY"


def database_url() -> str:
    """The database URL: `WORKBENCH_DATABASE_URL`, else the SQLite file `data/workbench.db`."""
    return os.environ.get(DATABASE_URL_VARIABLE, "").strip() or DEFAULT_DATABASE_URL
