"""A project as one JSON document, and back: export, validate, import.

The document (`format` "scoping-workbench.project", `schema_version` 1) holds the project's
charter fields and, for every part of `project_life.PARTS`, its rows in id order. Rows refer to
each other by their position in their part's list (`"experiment": 0` is the first experiment),
never by database ids, so a document imports into any database and exporting the imported
project gives the same document back. Not carried: ids, version counters, the archive flag and
derived columns (an experiment's name key).

Import validates the whole file first — size, JSON, format and version, every row against a
pydantic model generated from its table (types, enums, text limits of the columns, timezone-
aware times, no unknown fields), references in range, the tables' unique keys, no NUL characters
— and refuses it with the list of its problems before anything is written. The rows are then
written in one transaction, as a new project or over an existing one (whose id stays, so links
to it keep working; its version moves on, so forms opened on the old content are refused as
stale). The file's content hash goes into the imported project's activity log: the same file is
never applied twice.
"""

from __future__ import annotations

import hashlib
import json
import secrets
import types
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from enum import Enum
from typing import Annotated, Any, Union, get_args, get_origin

from annotated_types import Ge, Le, MaxLen
from pydantic import AwareDatetime, ConfigDict, Field, TypeAdapter, ValidationError, create_model
from pydantic.fields import FieldInfo
from pydantic_core import PydanticUndefined
from sqlalchemy import PrimaryKeyConstraint, UniqueConstraint, update
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from workbench import clock, crud, versioning
from workbench.domain.experiments import approach_key
from workbench.errors import InvalidInput, NotFound, field_errors
from workbench.models import (
    NAME_MAX,
    ActivityEntry,
    Interview,
    Project,
    ProjectPublic,
    SourcedRecord,
    SourceKind,
    UTCDateTime,
)
from workbench.models.base import name_key
from workbench.services import permissions
from workbench.services.project_life import PART_BY_KEY, PARTS, Part, delete_contents, rows_of
from workbench.services.projects import check_actor

FORMAT = "scoping-workbench.project"
SCHEMA_VERSION = 1
MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_ROWS_PER_PART = 50_000
MAX_PROBLEMS_LISTED = 50
IMPORT_ACTION = "project imported"

# Columns a document does not carry: ids and the project link (positions stand for them),
# version counters (an imported row starts at 1) and columns derived from others.
NOT_CARRIED = frozenset(
    {"id", "project_id", "version", "approach_key", "name_key", "title_key", "rater_key"}
)
PROJECT_NOT_CARRIED = frozenset({"id", "version", "archived_at", "report_scenario_id", "name_key"})
# Where a record's `source_id` points, by its `source_kind` (no foreign key: kept by position).
SOURCE_PARTS = {
    SourceKind.DEMO: "demos",
    SourceKind.EXPERIMENT: "experiments",
    SourceKind.INTERVIEW: "interview_answers",
    SourceKind.PARKING_LOT: "parking_lot",
}
DERIVED = {
    "approach_key": lambda row: approach_key(str(row.get("approach", ""))),
    "name_key": lambda row: name_key(str(row.get("name", ""))),
    "title_key": lambda row: name_key(str(row.get("title", ""))),
    "rater_key": lambda row: name_key(str(row.get("rater", ""))),
}
INT_RANGE = (Ge(-(2**31)), Le(2**31 - 1))  # what every database's INTEGER holds
Position = Annotated[int, Ge(0), Le(MAX_ROWS_PER_PART)]
AWARE_TIME = TypeAdapter(AwareDatetime)
TOP_LEVEL = frozenset({"format", "schema_version", "exported_at", "project", *PART_BY_KEY})


class FileRefused(InvalidInput):
    """A file that cannot be imported: `summary` (our words only) and its `problems`.

    As InvalidInput its errors are {"file": summary, "file[1]": problem, …}: the form shows the
    summary where the file was chosen and the problems as a list (they quote the file, so they
    are shown as data, never as Markdown).
    """

    def __init__(self, summary: str, problems: Sequence[str]):
        self.summary = summary
        self.problems = list(problems)
        shown = self.problems[:MAX_PROBLEMS_LISTED]
        if len(self.problems) > len(shown):
            shown.append(f"… and {len(self.problems) - len(shown)} more problem(s).")
        super().__init__(
            {"file": summary, **{f"file[{n}]": text for n, text in enumerate(shown, start=1)}}
        )

    def one_line(self) -> str:
        """The refusal on one line (for the command line)."""
        listed = "; ".join(" ".join(p.split()) for p in self.problems[:10])
        more = f"; … and {len(self.problems) - 10} more" if len(self.problems) > 10 else ""
        return f"{self.summary.replace(', listed below.', ':')} {listed}{more}".strip()


def refused(problems: Sequence[str]) -> FileRefused:
    count = len(problems)
    return FileRefused(
        f"The file was refused and nothing was written: {count} problem"
        f"{'s' if count != 1 else ''}, listed below.",
        problems,
    )


# --- the document's row models, generated from the tables -----------------------------------


def doc_key(column: str) -> str:
    """A reference column's name in the document: the row it points at, by position."""
    return "source_ref" if column == "source_id" else column.removesuffix("_id")


def _constraints(info: FieldInfo, column: Any, annotation: Any) -> list[Any]:
    kept = [m for m in info.metadata if type(m).__module__.startswith("annotated_types")]
    base = _without_none(annotation)
    length = getattr(column.type, "length", None)
    if base is str and length and not any(isinstance(m, MaxLen) for m in kept):
        kept.append(MaxLen(length))
    if base is int:  # the field's own bounds last: pydantic keeps the last of a kind
        kept[:0] = INT_RANGE
    return kept


def _without_none(annotation: Any) -> Any:
    if get_origin(annotation) in (Union, types.UnionType):
        args = [a for a in get_args(annotation) if a is not type(None)]
        return args[0] if len(args) == 1 else annotation
    return annotation


def _annotation(info: FieldInfo, column: Any) -> Any:
    annotation = info.annotation
    base = _without_none(annotation)
    optional = base is not annotation
    if isinstance(column.type, UTCDateTime):
        base = AwareDatetime  # a time without its zone would be read as another moment
    if base is float:
        base = Annotated[float, Field(allow_inf_nan=False)]
    constraints = _constraints(info, column, annotation)
    typed = Annotated[base, *constraints] if constraints else base
    return typed | None if optional else typed


def _field(info: FieldInfo) -> Any:
    if info.default_factory is not None:
        return Field(default_factory=info.default_factory)
    return Field(default=... if info.default is PydanticUndefined else info.default)


def _row_model(name: str, model: type, skip: frozenset[str], extra: Mapping[str, Any]) -> type:
    table = model.__table__
    fields: dict[str, Any] = {}
    for field_name, info in model.model_fields.items():
        if field_name in skip:
            continue
        fields[field_name] = (_annotation(info, table.c[field_name]), _field(info))
    fields.update(extra)
    return create_model(
        name, __config__=ConfigDict(extra="forbid", str_strip_whitespace=False), **fields
    )


def _part_model(part: Part) -> type:
    skip = set(NOT_CARRIED) | set(part.refs)
    extra: dict[str, Any] = {doc_key(c): (Position | None, None) for c in part.refs}
    if part.parent is not None:
        skip.add(part.parent[0])
        extra[doc_key(part.parent[0])] = (Position, ...)
    if issubclass(part.model, SourcedRecord):
        skip.add("source_id")
        extra["source_ref"] = (Position | None, None)
    return _row_model(f"{part.model.__name__}Row", part.model, frozenset(skip), extra)


ROW_MODELS: dict[str, type] = {part.key: _part_model(part) for part in PARTS}
PROJECT_MODEL = _row_model(
    "ProjectDocument",
    Project,
    PROJECT_NOT_CARRIED,
    {"report_scenario": (Position | None, None)},
)


# --- export ---------------------------------------------------------------------------------


def _json_value(value: Any) -> Any:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


@contextmanager
def snapshot_session(engine: Engine) -> Iterator[Session]:
    """A session whose reads all see one moment (PostgreSQL: REPEATABLE READ; SQLite: one read
    transaction), so what it exports is consistent while others write."""
    if engine.dialect.name == "postgresql":
        with Session(engine.execution_options(isolation_level="REPEATABLE READ")) as session:
            yield session
        return
    with engine.connect() as connection:
        connection.exec_driver_sql("BEGIN")  # pysqlite starts none before a SELECT
        try:
            with Session(bind=connection) as session:
                yield session
        finally:
            connection.exec_driver_sql("ROLLBACK")


def _ordered(part: Part):
    return [col(c) for c in part.model.__table__.primary_key.columns]


def export_project(engine: Engine, project_id: int) -> dict[str, Any]:
    """The project and every row that belongs to it, as one JSON-ready document."""
    with snapshot_session(engine) as session:
        project = session.get(Project, project_id)
        if project is None:
            raise NotFound(f"There is no project with id {project_id}.")
        rows = {
            part.key: session.exec(
                select(part.model).where(rows_of(part, project_id)).order_by(*_ordered(part))
            ).all()
            for part in PARTS
        }
        positions = {
            key: {row.id: n for n, row in enumerate(found)}
            for key, found in rows.items()
            if "id" in PART_BY_KEY[key].model.model_fields
        }

        def ref(part_key: str, row_id: int | None) -> int | None:
            return None if row_id is None else positions[part_key].get(row_id)

        def as_doc(model: type, row: Any, skip: frozenset[str]) -> dict[str, Any]:
            return {
                name: _json_value(getattr(row, name))
                for name in model.model_fields
                if name not in skip and name in type(row).model_fields
            }

        document: dict[str, Any] = {
            "format": FORMAT,
            "schema_version": SCHEMA_VERSION,
            "exported_at": clock.now().isoformat(),
            "project": {
                **as_doc(PROJECT_MODEL, project, frozenset({"report_scenario"})),
                "report_scenario": ref("scenarios", project.report_scenario_id),
            },
        }
        for part in PARTS:
            model = ROW_MODELS[part.key]
            carried = []
            for row in rows[part.key]:
                values = as_doc(model, row, frozenset())
                if part.parent is not None:
                    column, parent_key = part.parent
                    values[doc_key(column)] = ref(parent_key, getattr(row, column))
                for column, target in part.refs.items():
                    values[doc_key(column)] = ref(target, getattr(row, column))
                if isinstance(row, SourcedRecord):
                    target = SOURCE_PARTS.get(SourceKind(row.source_kind))
                    values["source_ref"] = ref(target, row.source_id) if target else None
                carried.append(values)
            document[part.key] = carried
        return document


def export_json(engine: Engine, project_id: int) -> bytes:
    """`export_project` as UTF-8 JSON bytes, ready to save as a file."""
    document = export_project(engine, project_id)
    return (json.dumps(document, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def export_file_name(name: str, exported_on: date) -> str:
    """A file name for a project's export: safe characters only."""
    stem = "".join(c if c.isalnum() else "-" for c in name.lower()).strip("-")
    stem = "-".join(part for part in stem.split("-") if part)[:60] or "project"
    return f"{stem}-{exported_on.isoformat()}.json"


# --- validation ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Document:
    """A file that passed every check: validated values, positions for references."""

    project: dict[str, Any]
    parts: dict[str, list[dict[str, Any]]]
    digest: str
    exported_at: datetime | None

    @property
    def name(self) -> str:
        return self.project["name"]

    @property
    def row_count(self) -> int:
        return sum(len(rows) for rows in self.parts.values())


def _no_constant(value: str) -> Any:
    raise ValueError(f"{value} is not a number JSON allows")


def _nul_paths(value: Any, path: str, found: list[str]) -> None:
    if len(found) >= MAX_PROBLEMS_LISTED:
        return
    if isinstance(value, str):
        if "\x00" in value:
            found.append(
                f"{path or 'the file'}: contains a NUL character, which no database stores."
            )
    elif isinstance(value, dict):
        for key, item in value.items():
            if "\x00" in key:
                found.append(f"{path or 'the file'}: a key contains a NUL character.")
            _nul_paths(item, f"{path}.{key}" if path else key, found)
    elif isinstance(value, list):
        for n, item in enumerate(value):
            _nul_paths(item, f"{path}[{n}]", found)


def _where(label: str, index: int | None, loc: str) -> str:
    at = label if index is None else f"{label} {index + 1}"
    return f"{at}, {loc.replace('_', ' ')}" if loc else at


def _validation_problems(label: str, index: int | None, error: ValidationError) -> list[str]:
    messages = field_errors(error)
    for item in error.errors():
        if item.get("type") == "extra_forbidden":
            loc = ".".join(str(p) for p in item.get("loc", ()))
            messages[loc] = "not a field of this kind of row (unknown field)."
    return [f"{_where(label, index, loc)}: {message}" for loc, message in messages.items()]


def _key_values(part: Part, row: Mapping[str, Any], columns: Sequence[str]) -> tuple | None:
    values = []
    for column in columns:
        if column == "project_id":
            continue
        if part.parent is not None and column == part.parent[0]:
            value = row.get(doc_key(column))
        elif column in DERIVED:
            value = DERIVED[column](row)
        else:
            value = row.get(column)
        values.append(json.dumps(_json_value(value), sort_keys=True, default=str))
    return tuple(values)


def _unique_keys(part: Part) -> list[tuple[str, ...]]:
    table = part.model.__table__
    keys: list[tuple[str, ...]] = []
    for constraint in table.constraints:
        columns = tuple(c.name for c in getattr(constraint, "columns", ()))
        if isinstance(constraint, UniqueConstraint) or (
            isinstance(constraint, PrimaryKeyConstraint) and columns != ("id",)
        ):
            keys.append(columns)
    keys += [tuple(c.name for c in index.columns) for index in table.indexes if index.unique]
    keys += [(c.name,) for c in table.columns if c.unique]
    return list(dict.fromkeys(keys))


def _check_references(parts: Mapping[str, list[dict[str, Any]]]) -> list[str]:
    problems: list[str] = []

    def check(label: str, n: int, field: str, target: str, position: int | None) -> None:
        if position is not None and position >= len(parts[target]):
            have = len(parts[target])
            problems.append(
                f"{label} {n + 1}, {field.replace('_', ' ')}: points at "
                f"{PART_BY_KEY[target].label.lower()} number {position + 1}, but the file has "
                f"{have}."
            )

    for part in PARTS:
        for n, row in enumerate(parts[part.key]):
            if part.parent is not None:
                column, target = part.parent
                check(part.label, n, doc_key(column), target, row[doc_key(column)])
            for column, target in part.refs.items():
                check(part.label, n, doc_key(column), target, row[doc_key(column)])
            if "source_ref" in row and row["source_ref"] is not None:
                target = SOURCE_PARTS.get(SourceKind(row["source_kind"]))
                if target is None:
                    problems.append(
                        f"{part.label} {n + 1}, source ref: a source of kind "
                        f"{SourceKind(row['source_kind']).value!r} points at no row."
                    )
                else:
                    check(part.label, n, "source_ref", target, row["source_ref"])
    return problems


def _check_unique(parts: Mapping[str, list[dict[str, Any]]]) -> list[str]:
    problems: list[str] = []
    for part in PARTS:
        for key in _unique_keys(part):
            seen: dict[tuple, int] = {}
            shown = [c for c in key if c != "project_id"]
            for n, row in enumerate(parts[part.key]):
                values = _key_values(part, row, key)
                if values in seen:
                    what = (
                        f"the same {', '.join(doc_key(c).replace('_', ' ') for c in shown)} as "
                        f"{part.label.lower()} {seen[values] + 1}"
                        if shown
                        else f"only one {part.label.lower()} is allowed"
                    )
                    problems.append(f"{part.label} {n + 1}: {what}.")
                else:
                    seen[values] = n
    return problems


def read_document(raw: bytes | str) -> Document:
    """Check a file completely; its validated content, or FileRefused listing every problem."""
    data = raw.encode("utf-8") if isinstance(raw, str) else bytes(raw)
    if len(data) > MAX_FILE_BYTES:
        raise refused(
            [f"The file is {len(data) / 1e6:.1f} MB; at most {MAX_FILE_BYTES // 10**6} MB."]
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise refused(["The file is not text in UTF-8: is it an export of a project?"]) from None
    try:
        parsed = json.loads(text, parse_constant=_no_constant)
    except json.JSONDecodeError as error:
        raise refused(
            [f"Not JSON: {error.msg} at line {error.lineno}, column {error.colno}."]
        ) from None
    except (ValueError, RecursionError) as error:
        reason = "nested too deeply" if isinstance(error, RecursionError) else str(error)
        raise refused([f"Not JSON a project export can hold: {reason}."]) from None
    if not isinstance(parsed, dict):
        raise refused(["The file holds no JSON object: it is not an export of a project."])
    if parsed.get("format") != FORMAT:
        raise refused(["The file is not a Scoping Workbench project export (no 'format' line)."])
    version = parsed.get("schema_version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise refused(["The file names no schema version."])
    if version > SCHEMA_VERSION:
        raise refused(
            [
                f"The file was made by a newer workbench (schema version {version}); this one "
                f"reads version {SCHEMA_VERSION}. Update the workbench, then import it."
            ]
        )
    problems: list[str] = []
    _nul_paths(parsed, "", problems)
    for key in parsed:
        if key not in TOP_LEVEL:
            problems.append(f"{key}: not a part of a project export (unknown).")
    exported_at = None
    if parsed.get("exported_at") is not None:
        try:
            exported_at = AWARE_TIME.validate_python(parsed["exported_at"])
        except ValidationError:
            problems.append("exported at: not a time with its time zone.")
    project: dict[str, Any] = {}
    if not isinstance(parsed.get("project"), dict):
        problems.append("project: missing, or not an object.")
    else:
        try:
            project = PROJECT_MODEL.model_validate(parsed["project"]).model_dump()
        except ValidationError as error:
            problems += _validation_problems("Project", None, error)
    parts: dict[str, list[dict[str, Any]]] = {}
    for part in PARTS:
        rows = parsed.get(part.key, [])
        if not isinstance(rows, list):
            problems.append(f"{part.key}: not a list of rows.")
            rows = []
        if len(rows) > MAX_ROWS_PER_PART:
            problems.append(f"{part.key}: {len(rows)} rows; at most {MAX_ROWS_PER_PART}.")
            rows = []
        valid = []
        for n, row in enumerate(rows):
            if not isinstance(row, dict):
                problems.append(f"{part.label} {n + 1}: not an object.")
                continue
            try:
                valid.append(ROW_MODELS[part.key].model_validate(row).model_dump())
            except ValidationError as error:
                problems += _validation_problems(part.label, n, error)
        parts[part.key] = valid
    if problems:
        raise refused(problems)
    problems += _check_references(parts)
    report = project.get("report_scenario")
    if report is not None and report >= len(parts["scenarios"]):
        problems.append(
            f"Project, report scenario: points at cost scenario number {report + 1}, but the "
            f"file has {len(parts['scenarios'])}."
        )
    problems += _check_unique(parts)
    if problems:
        raise refused(problems)
    canonical = json.dumps(parsed, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return Document(
        project=project,
        parts=parts,
        digest=hashlib.sha256(canonical.encode("utf-8")).hexdigest(),
        exported_at=exported_at or None,
    )


# --- import -------------------------------------------------------------------------------


@dataclass(frozen=True)
class ImportResult:
    """What an import did."""

    project: ProjectPublic
    replaced: bool
    rows: int
    relinked_interviews: int


def _already_imported(session: Session, digest: str) -> tuple[ActivityEntry, str] | None:
    entries = session.exec(
        select(ActivityEntry)
        .where(ActivityEntry.action == IMPORT_ACTION)
        .order_by(col(ActivityEntry.id))
    ).all()
    for entry in entries:
        if (entry.changes or {}).get("content_sha256") == digest and entry.project_id:
            project = session.get(Project, entry.project_id)
            if project is not None:
                return entry, project.name
    return None


def _checked_name(name: str | None, document: Document) -> str:
    chosen = (name if name is not None and name.strip() else document.name).strip()
    if not chosen:
        raise InvalidInput({"name": "Required: the project needs a name."})
    if len(chosen) > NAME_MAX:
        raise InvalidInput({"name": f"Too long: at most {NAME_MAX} characters."})
    return chosen


def import_project(
    engine: Engine,
    raw: bytes | str,
    *,
    actor: str,
    replace_project_id: int | None = None,
    expected_version: int | None = None,
    name: str | None = None,
) -> ImportResult:
    """Import an exported project: as a new project, or over `replace_project_id` (everything it
    held is replaced; its id stays). `name` overrides the file's project name.

    Raises FileRefused (nothing written) for a file that fails any check or was imported before;
    InvalidInput for a name another project has; StaleEditError when the project to replace
    changed since `expected_version` (when given); NotFound when it is gone.
    """
    actor = check_actor(actor)
    document = read_document(raw)
    chosen = _checked_name(name, document)
    with Session(engine) as session:
        before = _already_imported(session, document.digest)
        if before is not None:
            entry, became = before
            raise FileRefused(
                "This file was imported before, so nothing was written (a file is applied once).",
                [
                    f"It became the project {became!r} on {entry.at:%Y-%m-%d %H:%M} UTC "
                    f"(imported by {entry.actor}). To start another project like it, use "
                    "Duplicate on that project's Charter page."
                ],
            )
        target = None
        if replace_project_id is not None:
            target = session.get(Project, replace_project_id)
            if target is None:
                raise NotFound(f"There is no project with id {replace_project_id} any more.")
            if expected_version is not None:
                versioning.check_version(session, target, expected_version)
        clash = crud.find_project_by_name(session, name=chosen)
        if clash is not None and (target is None or clash.id != target.id):
            raise InvalidInput(
                {
                    "name": "Another project already has this name: give the imported project "
                    "another name, or replace that project."
                }
            )
        try:
            project, relinked = _write(session, document, chosen, target, actor)
            session.commit()
        except IntegrityError as error:
            session.rollback()
            raise refused(
                [f"The database refused the file's rows: {str(error.orig).splitlines()[0]}"]
            ) from error
        session.refresh(project)
        return ImportResult(
            project=ProjectPublic.model_validate(project),
            replaced=target is not None,
            rows=document.row_count,
            relinked_interviews=relinked,
        )


def _write(
    session: Session, document: Document, name: str, target: Project | None, actor: str
) -> tuple[Project, int]:
    fields = {k: v for k, v in document.project.items() if k != "report_scenario"}
    fields["name"] = name
    if target is None:
        project = Project(**fields)
        session.add(project)
        session.flush()
        # Who may access a project is not in its file (identities belong to a workspace, and a
        # file must not grant access): a new project's importer becomes its owner when signed
        # in; a replaced project keeps its members.
        permissions.claim_new_project(session, project.id, actor)
        replaced: dict[str, int] = {}
    else:
        project = target
        replaced = delete_contents(session, project.id)
        project.sqlmodel_update(fields)
        project.report_scenario_id = None
        session.add(project)
        session.flush()
    ids: dict[str, list[int | None]] = {}
    sources: list[tuple[type, int, str, int]] = []
    relinked = 0
    for part in PARTS:
        rows = document.parts[part.key]
        if part.key == "interviews":
            relinked = _free_token_hashes(session, rows)
        made = []
        for row in rows:
            values = {
                k: v
                for k, v in row.items()
                if k in part.model.model_fields and k not in NOT_CARRIED and k != "source_id"
            }
            if "project_id" in part.model.model_fields:
                values["project_id"] = project.id
            if part.parent is not None:
                column, parent_key = part.parent
                values[column] = ids[parent_key][row[doc_key(column)]]
            for column, target_key in part.refs.items():
                position = row[doc_key(column)]
                values[column] = None if position is None else ids[target_key][position]
            made.append(part.model(**values))
        session.add_all(made)
        session.flush()
        if "id" in part.model.model_fields:
            ids[part.key] = [row.id for row in made]
        for row, created in zip(rows, made, strict=True):
            if row.get("source_ref") is not None:
                target_key = SOURCE_PARTS[SourceKind(row["source_kind"])]
                sources.append((part.model, created.id, target_key, row["source_ref"]))
    # Soft references may point forward (a parked idea to the experiment that parked it): set
    # them once every row has its id, without touching the rows' versions.
    for model, row_id, target_key, position in sources:
        session.exec(
            update(model).where(col(model.id) == row_id).values(source_id=ids[target_key][position])
        )
    report = document.project.get("report_scenario")
    if report is not None:
        session.exec(
            update(Project)
            .where(col(Project.id) == project.id)
            .values(report_scenario_id=ids["scenarios"][report])
        )
    crud.record_activity(
        session,
        project_id=project.id,
        actor=actor,
        action=IMPORT_ACTION,
        summary=(
            f"Imported from a file ({document.row_count} rows"
            + (
                f", exported {document.exported_at:%Y-%m-%d %H:%M} UTC"
                if document.exported_at
                else ""
            )
            + ")"
            + (
                f", replacing everything the project held ({sum(replaced.values())} rows)"
                if target is not None
                else ""
            )
            + "."
            + (
                f" {relinked} interview link(s) belong to another project here: their copies "
                "got new links that no expert has."
                if relinked
                else ""
            )
        ),
        changes={
            "content_sha256": document.digest,
            "mode": "replace" if target is not None else "new",
            "name_in_file": document.name,
            "rows": {key: len(rows) for key, rows in document.parts.items() if rows},
        },
    )
    return project, relinked


def _free_token_hashes(session: Session, rows: list[dict[str, Any]]) -> int:
    """Interview links are unique across the database: a copy whose link hash another project's
    interview already has gets a new random one (nobody holds its link). Returns how many."""
    hashes = [row["token_hash"] for row in rows]
    if not hashes:
        return 0
    taken = set(
        session.exec(select(Interview.token_hash).where(col(Interview.token_hash).in_(hashes)))
    )
    for row in rows:
        if row["token_hash"] in taken:
            row["token_hash"] = hashlib.sha256(secrets.token_bytes(32)).hexdigest()
    return sum(1 for h in hashes if h in taken)
