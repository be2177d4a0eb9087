"""Reference tables the estimators use: GPUs (``data/hardware.toml``) and grid carbon intensity
by region (``data/grid_regions.toml``).

Both are plain TOML a team can edit. Loading validates every entry (required fields present, no
unknown fields, numbers non-negative, names unique ignoring case) and raises
``InvalidReferenceData`` naming the file, the entry and the problem. Lookups by name ignore case.
"""

import re
import tomllib
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Generic, TypeVar

from workbench.config import DATA_DIR

__all__ = [
    "DEFAULT_GRID_REGIONS_PATH",
    "DEFAULT_HARDWARE_PATH",
    "GpuSpec",
    "GridRegion",
    "InvalidReferenceData",
    "NamedTable",
    "UnknownReferenceName",
    "load_grid_regions",
    "load_hardware",
]

DEFAULT_HARDWARE_PATH = DATA_DIR / "hardware.toml"
"""The GPU table shipped with the workbench."""
DEFAULT_GRID_REGIONS_PATH = DATA_DIR / "grid_regions.toml"
"""The grid-intensity table shipped with the workbench."""

_PRICE_DATE = re.compile(r"^\d{4}-(0[1-9]|1[0-2])(-\d{2})?$")


class InvalidReferenceData(ValueError):
    """A reference file is missing, is not TOML, or holds an invalid entry (the message says
    which file, which entry and what is wrong)."""


class UnknownReferenceName(LookupError):
    """No entry has that name; ``kind`` says what was looked up, ``known`` the names there are."""

    def __init__(self, kind: str, name: str, known: tuple[str, ...]):
        self.kind = kind
        self.name = name
        self.known = known
        super().__init__(f"unknown {kind} {name!r} (known: {', '.join(known)})")


@dataclass(frozen=True)
class GpuSpec:
    """One GPU model.

    Attributes:
        name: display name, unique ignoring case.
        peak_dense_16bit_tflops: peak dense FP16/BF16 tensor throughput, no sparsity (TFLOP/s).
        board_power_w: board power (W).
        price_per_gpu_hour_usd: default on-demand price of one GPU for one hour (USD).
        price_date: when that price was read ("YYYY-MM" or "YYYY-MM-DD").
        price_source: the offer the price comes from.
        notes: anything else worth knowing.
    """

    name: str
    peak_dense_16bit_tflops: float
    board_power_w: float
    price_per_gpu_hour_usd: float
    price_date: str
    price_source: str
    notes: str = ""


@dataclass(frozen=True)
class GridRegion:
    """Average carbon intensity of one region's electricity.

    Attributes:
        name: display name, unique ignoring case.
        carbon_kg_per_kwh: kg CO2e per kWh.
        source: where the figure comes from.
        notes: anything else worth knowing.
    """

    name: str
    carbon_kg_per_kwh: float
    source: str
    notes: str = ""


T = TypeVar("T", GpuSpec, GridRegion)


@dataclass(frozen=True)
class NamedTable(Generic[T]):
    """Entries of one reference file, in file order, looked up by name ignoring case.

    Attributes:
        kind: what an entry is ("GPU", "grid region"), for messages.
        entries: the entries in file order.
        path: the file they were read from.
    """

    kind: str
    entries: tuple[T, ...]
    path: Path

    @property
    def names(self) -> tuple[str, ...]:
        """Entry names in file order."""
        return tuple(entry.name for entry in self.entries)

    def get(self, name: str) -> T:
        """The entry called ``name`` (case and surrounding spaces ignored).

        Raises:
            UnknownReferenceName: if there is none.
        """
        wanted = _key(name)
        for entry in self.entries:
            if _key(entry.name) == wanted:
                return entry
        raise UnknownReferenceName(self.kind, name, self.names)

    def __iter__(self) -> Iterator[T]:
        return iter(self.entries)

    def __len__(self) -> int:
        return len(self.entries)


def _key(name: str) -> str:
    return name.strip().casefold()


@dataclass(frozen=True)
class _Field:
    name: str
    kind: str  # "text", "number", "positive" or "date"
    required: bool = True


_GPU_FIELDS = (
    _Field("name", "text"),
    _Field("peak_dense_16bit_tflops", "positive"),
    _Field("board_power_w", "number"),
    _Field("price_per_gpu_hour_usd", "number"),
    _Field("price_date", "date"),
    _Field("price_source", "text"),
    _Field("notes", "text", required=False),
)

_REGION_FIELDS = (
    _Field("name", "text"),
    _Field("carbon_kg_per_kwh", "number"),
    _Field("source", "text"),
    _Field("notes", "text", required=False),
)


def load_hardware(path: Path | str | None = None) -> NamedTable[GpuSpec]:
    """Load the GPU table (``[[gpu]]`` entries) from ``path`` or ``data/hardware.toml``.

    Raises:
        InvalidReferenceData: if the file is missing, is not TOML, or has an invalid entry.
    """
    return _load(Path(path) if path else DEFAULT_HARDWARE_PATH, "gpu", "GPU", _GPU_FIELDS, GpuSpec)


def load_grid_regions(path: Path | str | None = None) -> NamedTable[GridRegion]:
    """Load the grid-intensity table (``[[region]]`` entries) from ``path`` or
    ``data/grid_regions.toml``.

    Raises:
        InvalidReferenceData: if the file is missing, is not TOML, or has an invalid entry.
    """
    return _load(
        Path(path) if path else DEFAULT_GRID_REGIONS_PATH,
        "region",
        "grid region",
        _REGION_FIELDS,
        GridRegion,
    )


def _load(
    path: Path,
    table: str,
    kind: str,
    spec: tuple[_Field, ...],
    build: Callable[..., T],
) -> NamedTable[T]:
    try:
        with path.open("rb") as file:
            document = tomllib.load(file)
    except OSError as error:
        raise InvalidReferenceData(f"{path}: cannot read the file ({error.strerror})") from None
    except tomllib.TOMLDecodeError as error:
        raise InvalidReferenceData(f"{path}: not valid TOML ({error})") from None
    unknown = sorted(set(document) - {table})
    if unknown:
        raise InvalidReferenceData(
            f"{path}: unknown top-level key(s) {', '.join(unknown)}; expected [[{table}]] entries"
        )
    raw = document.get(table)
    if not isinstance(raw, list) or not raw:
        raise InvalidReferenceData(f"{path}: no [[{table}]] entries")
    entries: list[T] = []
    seen: dict[str, tuple[int, str]] = {}
    for number, item in enumerate(raw, start=1):
        values = _entry(path, table, number, item, spec)
        key = _key(values["name"])
        if key in seen:
            first_number, first_name = seen[key]
            raise InvalidReferenceData(
                f"{path}: {table} entry {number} ({values['name']!r}): duplicate name "
                f"(entry {first_number} is {first_name!r}; names are compared ignoring case)"
            )
        seen[key] = (number, values["name"])
        entries.append(build(**values))
    return NamedTable(kind=kind, entries=tuple(entries), path=path)


def _entry(
    path: Path, table: str, number: int, item: Any, spec: tuple[_Field, ...]
) -> dict[str, Any]:
    """Validate one entry and return its fields, or raise naming file, entry and problem."""
    if not isinstance(item, Mapping):
        raise InvalidReferenceData(f"{path}: {table} entry {number}: not a table")
    name = item.get("name")
    shown = repr(name) if isinstance(name, str) else "no name"
    label = f"{path}: {table} entry {number} ({shown})"
    known = {f.name for f in spec}
    extra = sorted(set(item) - known)
    if extra:
        raise InvalidReferenceData(
            f"{label}: unknown field(s) {', '.join(extra)} (allowed: {', '.join(sorted(known))})"
        )
    values: dict[str, Any] = {}
    for f in spec:
        if f.name not in item:
            if f.required:
                raise InvalidReferenceData(f"{label}: missing field {f.name!r}")
            continue
        values[f.name] = _value(label, f, item[f.name])
    return values


def _value(label: str, f: _Field, value: Any) -> Any:
    if f.kind == "text":
        if not isinstance(value, str) or (f.required and not value.strip()):
            raise InvalidReferenceData(f"{label}: {f.name} must be non-empty text (got {value!r})")
        return value.strip()
    if f.kind == "date":
        if isinstance(value, date):
            return value.isoformat()
        if not isinstance(value, str) or not _PRICE_DATE.match(value):
            raise InvalidReferenceData(
                f'{label}: {f.name} must be a date like "2026-10" or "2026-10-01" (got {value!r})'
            )
        return value
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InvalidReferenceData(f"{label}: {f.name} must be a number (got {value!r})")
    if value != value or value in (float("inf"), float("-inf")):
        raise InvalidReferenceData(f"{label}: {f.name} must be finite (got {value!r})")
    if f.kind == "positive" and value <= 0:
        raise InvalidReferenceData(f"{label}: {f.name} must be > 0 (got {value!r})")
    if value < 0:
        raise InvalidReferenceData(f"{label}: {f.name} must be >= 0 (got {value!r})")
    return float(value)
