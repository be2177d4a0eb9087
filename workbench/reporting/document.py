"""A report as plain blocks (headings, paragraphs, tables, charts) that every format renders.

Builders put user text into blocks as it is; each renderer escapes it for its own format, so a
project called `<script>` or `# | *` can never break the HTML, the Markdown or the Word file.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Paragraph:
    """A paragraph of plain text; `emphasis` renders it in italics (used for 'no data' lines)."""

    text: str
    emphasis: bool = False


@dataclass(frozen=True)
class BulletList:
    """A list of plain-text items."""

    items: tuple[str, ...]


@dataclass(frozen=True)
class KeyValues:
    """Label: value pairs, rendered as a two-column table."""

    pairs: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Table:
    """A table with a header row; cells are plain text."""

    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class Chart:
    """A plotly figure with a caption; `figure` is a plotly Figure (kept opaque here)."""

    figure: Any
    caption: str


Block = Paragraph | BulletList | KeyValues | Table | Chart


@dataclass(frozen=True)
class Section:
    """A titled section: its blocks, or one line saying there is nothing yet."""

    title: str
    blocks: tuple[Block, ...]
    subsections: tuple[Section, ...] = ()


@dataclass(frozen=True)
class ReportDocument:
    """A whole report: title, the date and data version it was built from, and its sections."""

    title: str
    project_name: str
    generated_on: str
    data_version: str
    sections: tuple[Section, ...] = field(default_factory=tuple)

    def charts(self) -> list[Chart]:
        """Every chart in the report, in reading order."""
        found: list[Chart] = []

        def walk(sections: Sequence[Section]) -> None:
            for section in sections:
                found.extend(block for block in section.blocks if isinstance(block, Chart))
                walk(section.subsections)

        walk(self.sections)
        return found


def empty(what: str) -> Paragraph:
    """The one line a section shows when it has no data."""
    return Paragraph(f"No {what} recorded yet.", emphasis=True)


def table(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> Table:
    """A Table with every cell turned into text ('' for None)."""
    return Table(
        headers=tuple(str(h) for h in headers),
        rows=tuple(tuple("" if cell is None else str(cell) for cell in row) for row in rows),
    )
