"""SME interview templates: question sets kept as TOML files in `data/interview_templates/`.

Each file is one template (`id`, `title`, `description`, `[[question]]` tables). A team adds a
template by dropping another file in that folder. Every problem is reported at once as
"<file>: question '<id>' (or #<n>): <problem>", so a bad file can be fixed in one go.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from workbench.config import DATA_DIR

TEMPLATES_DIR = DATA_DIR / "interview_templates"
QUESTION_TEXT_MAX = 500
HELP_TEXT_MAX = 1000
SOURCE_MAX = 300
SLUG = re.compile(r"^[a-z0-9_]{1,60}$")

TEMPLATE_FIELDS = ("id", "title", "description", "question")
QUESTION_REQUIRED = ("id", "text", "source")
QUESTION_OPTIONAL = ("help", "critical")


@dataclass(frozen=True)
class InterviewQuestion:
    """One question an expert is asked, with its help text and where it comes from."""

    id: str
    text: str
    help: str = ""
    source: str = ""
    critical: bool = False

    def as_dict(self) -> dict[str, Any]:
        """The question as stored with an interview (a JSON object)."""
        return {
            "id": self.id,
            "text": self.text,
            "help": self.help,
            "source": self.source,
            "critical": self.critical,
        }


@dataclass(frozen=True)
class InterviewTemplate:
    """A named question set for an SME interview."""

    id: str
    title: str
    description: str
    questions: tuple[InterviewQuestion, ...]
    path: Path


class InvalidInterviewTemplate(ValueError):
    """A template file cannot be used; the message names the file, the question and the problem."""

    def __init__(self, path: Path, problems: Iterable[str]) -> None:
        self.path = path
        self.problems = tuple(problems)
        super().__init__("\n".join(f"{path}: {problem}" for problem in self.problems))


def load_template(path: Path | str) -> InterviewTemplate:
    """Read and check one template file.

    Raises InvalidInterviewTemplate when the file cannot be read or parsed, the template has no
    id/title or no questions, a question misses its id, text or source, a field has the wrong
    type or an unknown name, or two questions share an id.
    """
    path = Path(path)
    try:
        with path.open("rb") as file:
            document = tomllib.load(file)
    except OSError as error:
        raise InvalidInterviewTemplate(path, [f"cannot read the file ({error.strerror})"]) from None
    except tomllib.TOMLDecodeError as error:
        raise InvalidInterviewTemplate(path, [f"not valid TOML ({error})"]) from None

    problems = [
        f"unknown top-level key {key!r} (known keys: {', '.join(TEMPLATE_FIELDS)})"
        for key in document
        if key not in TEMPLATE_FIELDS
    ]
    template_id = document.get("id")
    if not isinstance(template_id, str) or not SLUG.match(template_id):
        problems.append(
            f"template id must be a slug of lowercase letters, digits and underscores "
            f"(got {template_id!r})"
        )
    title = document.get("title")
    if not isinstance(title, str) or not title.strip():
        problems.append("missing title")
    description = document.get("description", "")
    if not isinstance(description, str):
        problems.append(f"description must be a string (got {description!r})")
    tables = document.get("question", [])
    if not isinstance(tables, list) or not tables:
        problems.append("no questions (expected [[question]] tables)")
        tables = []

    questions: list[InterviewQuestion] = []
    first_seen: dict[str, int] = {}
    for number, table in enumerate(tables, start=1):
        label = _label(table, number)
        table_problems = _question_problems(table)
        if table_problems:
            problems.extend(f"{label}: {problem}" for problem in table_problems)
            continue
        question_id = table["id"]
        if question_id in first_seen:
            problems.append(
                f"{label}: duplicate id (first used by question #{first_seen[question_id]})"
            )
            continue
        first_seen[question_id] = number
        questions.append(
            InterviewQuestion(
                id=question_id,
                text=table["text"].strip(),
                help=table.get("help", "").strip(),
                source=table["source"].strip(),
                critical=table.get("critical", False),
            )
        )
    if problems:
        raise InvalidInterviewTemplate(path, problems)
    return InterviewTemplate(
        id=template_id,
        title=title.strip(),
        description=description.strip(),
        questions=tuple(questions),
        path=path,
    )


def load_templates(folder: Path | str | None = None) -> dict[str, InterviewTemplate]:
    """Every template in `folder` (default data/interview_templates/), by id, in file-name order.

    Raises InvalidInterviewTemplate for the first bad file, when two files use the same template
    id, or when the folder holds no template at all.
    """
    folder = TEMPLATES_DIR if folder is None else Path(folder)
    paths = sorted(folder.glob("*.toml"))
    if not paths:
        raise InvalidInterviewTemplate(folder, ["no interview templates (*.toml) in this folder"])
    templates: dict[str, InterviewTemplate] = {}
    for path in paths:
        template = load_template(path)
        if template.id in templates:
            raise InvalidInterviewTemplate(
                path,
                [f"template id {template.id!r} is already used by {templates[template.id].path}"],
            )
        templates[template.id] = template
    return templates


@cache
def default_templates() -> dict[str, InterviewTemplate]:
    """The templates shipped in data/interview_templates/, read once per process."""
    return load_templates()


def _label(table: Any, number: int) -> str:
    if isinstance(table, dict) and isinstance(table.get("id"), str) and table["id"].strip():
        return f"question {table['id']!r}"
    return f"question #{number}"


def _question_problems(table: Any) -> list[str]:
    if not isinstance(table, dict):
        return ["must be a [[question]] table"]
    known = QUESTION_REQUIRED + QUESTION_OPTIONAL
    problems = [
        f"unknown field {name!r} (known fields: {', '.join(known)})"
        for name in table
        if name not in known
    ]
    for name in QUESTION_REQUIRED:
        value = table.get(name)
        if name not in table:
            problems.append(f"missing {name}")
        elif not isinstance(value, str):
            problems.append(f"{name} must be a string (got {value!r})")
        elif not value.strip():
            problems.append(f"{name} is empty")
    if isinstance(table.get("id"), str) and table["id"].strip() and not SLUG.match(table["id"]):
        problems.append("id must be a slug of lowercase letters, digits and underscores")
    if "help" in table and not isinstance(table["help"], str):
        problems.append(f"help must be a string (got {table['help']!r})")
    if "critical" in table and not isinstance(table["critical"], bool):
        problems.append(f"critical must be true or false (got {table['critical']!r})")
    for name, limit in (
        ("text", QUESTION_TEXT_MAX),
        ("help", HELP_TEXT_MAX),
        ("source", SOURCE_MAX),
    ):
        value = table.get(name)
        if isinstance(value, str) and len(value.strip()) > limit:
            problems.append(f"{name} is too long: at most {limit} characters")
    return problems
