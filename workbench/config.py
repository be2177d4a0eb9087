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


# How long a SQLite write waits for another writer's lock, in milliseconds (see workbench/db.py).
SQLITE_BUSY_TIMEOUT_VARIABLE = "WORKBENCH_SQLITE_BUSY_TIMEOUT_MS"
DEFAULT_SQLITE_BUSY_TIMEOUT_MS = 10_000


def sqlite_busy_timeout_ms() -> int:
    """`WORKBENCH_SQLITE_BUSY_TIMEOUT_MS` (a whole number of milliseconds), else 10 seconds."""
    raw = os.environ.get(SQLITE_BUSY_TIMEOUT_VARIABLE, "").strip()
    try:
        value = int(raw)
    except ValueError:
        return DEFAULT_SQLITE_BUSY_TIMEOUT_MS
    return value if value >= 0 else DEFAULT_SQLITE_BUSY_TIMEOUT_MS


# Workspace admins: identities (e-mail addresses, else subjects) who may see and change every
# project and manage its members. `[workbench] admins = [...]` in the secrets adds to them.
ADMINS_VARIABLE = "WORKBENCH_ADMINS"


def admins() -> frozenset[str]:
    """`WORKBENCH_ADMINS` (comma-separated identities), trimmed and lower-cased."""
    raw = os.environ.get(ADMINS_VARIABLE, "")
    return frozenset(name.strip().lower() for name in raw.split(",") if name.strip())
