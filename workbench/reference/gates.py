"""Load the lifecycle gate checklists from `data/lifecycle.toml`, checking them as they load."""

from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path

from workbench.config import DATA_DIR
from workbench.domain.lifecycle import EVIDENCE_KINDS, GateItem, Phase, PhaseGate

LIFECYCLE_FILE = DATA_DIR / "lifecycle.toml"


class InvalidLifecycleFile(ValueError):
    """The lifecycle file is malformed; the message names the file, the phase and the problem."""


def load_gates(path: Path | None = None) -> dict[Phase, PhaseGate]:
    """Read and check the gate checklists; every phase must appear exactly once."""
    path = path or LIFECYCLE_FILE
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as error:
        raise InvalidLifecycleFile(f"{path}: not valid TOML ({error})") from error
    gates: dict[Phase, PhaseGate] = {}
    for index, entry in enumerate(raw.get("phase", [])):
        where = f"{path}: phase #{index + 1}"
        try:
            phase = Phase(entry.get("phase"))
        except ValueError as error:
            raise InvalidLifecycleFile(f"{where}: unknown phase {entry.get('phase')!r}") from error
        where = f"{path}: phase {phase.value!r}"
        if phase in gates:
            raise InvalidLifecycleFile(f"{where}: appears twice")
        items = []
        for item in entry.get("items", []):
            key, text = str(item.get("key", "")).strip(), str(item.get("text", "")).strip()
            if not key or not text:
                raise InvalidLifecycleFile(f"{where}: every item needs a key and a text")
            if any(existing.key == key for existing in items):
                raise InvalidLifecycleFile(f"{where}: item key {key!r} appears twice")
            evidence = str(item.get("evidence", "")).strip()
            if evidence and evidence not in EVIDENCE_KINDS:
                raise InvalidLifecycleFile(
                    f"{where}: item {key!r} names unknown evidence {evidence!r} (known: "
                    f"{', '.join(EVIDENCE_KINDS)})"
                )
            items.append(GateItem(key=key, text=text, evidence=evidence))
        gates[phase] = PhaseGate(
            phase=phase,
            goal=str(entry.get("goal", "")).strip(),
            items=tuple(items),
            source=str(entry.get("source", "")).strip(),
        )
    missing = [phase.value for phase in Phase if phase not in gates]
    if missing:
        raise InvalidLifecycleFile(f"{path}: phases missing: {', '.join(missing)}")
    return gates


@cache
def default_gates() -> dict[Phase, PhaseGate]:
    """The checklists of the shipped `data/lifecycle.toml`, read once per process."""
    return load_gates()
