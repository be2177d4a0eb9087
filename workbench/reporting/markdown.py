"""Render a report as Markdown, escaping user text so it cannot add headings or break tables."""

from __future__ import annotations

import re

from workbench.reporting.document import (
    BulletList,
    Chart,
    KeyValues,
    Paragraph,
    ReportDocument,
    Section,
    Table,
)

# Characters with meaning anywhere in a CommonMark/GFM line (emphasis, code, links, HTML, tables).
_INLINE = re.compile(r"([\\`*_\[\]<>|~])")
# "&amp;" or "&#60;" would be read as a character reference; a bare "&" is fine.
_ENTITY = re.compile(r"&(?=#?\w+;)")
# At the start of a line these open a block: heading, quote, list, thematic break.
_BLOCK_START = re.compile(r"^(#{1,6}(?=\s|$)|[-+](?=\s|$)|>|[=-]+\s*$)")
_ORDERED_START = re.compile(r"^(\d+)([.)])(?=\s|$)")
WORD_JOINER = "\u2060"
_LINK_START = re.compile(r"(?i)(\bhttps?(?=:)|\bwww(?=\.)|(?=@))")


def escape(text: str) -> str:
    """Escape Markdown syntax in `text` and fold line breaks, so it stays one plain run.

    A bare address (`http://…`, `www.…`, `name@host`) would become a live link in a viewer of
    GitHub-flavoured Markdown, which finds them after escapes are resolved: an invisible WORD
    JOINER (U+2060) after `http`/`https`/`www` and before `@` keeps it text."""
    folded = _LINK_START.sub(lambda m: m.group(0) + WORD_JOINER, " ".join(str(text).split()))
    escaped = _ENTITY.sub(r"\\&", _INLINE.sub(r"\\\1", folded))
    if _BLOCK_START.match(escaped):
        escaped = "\\" + escaped
    return _ORDERED_START.sub(r"\1\\\2", escaped)


def escape_block(text: str) -> str:
    """Escape a multi-line text; each line stays a line (paragraph text, not a heading)."""
    lines = [escape(line) for line in str(text).splitlines() if line.strip()]
    return "  \n".join(lines)


def _table(headers, rows) -> list[str]:
    out = ["| " + " | ".join(escape(h) for h in headers) + " |"]
    out.append("|" + "|".join(" --- " for _ in headers) + "|")
    out += ["| " + " | ".join(escape(cell) or " " for cell in row) + " |" for row in rows]
    return out


def _section(section: Section, level: int, chart_numbers: dict[int, int]) -> list[str]:
    lines = [f"{'#' * level} {escape(section.title)}", ""]
    for block in section.blocks:
        if isinstance(block, Paragraph):
            text = escape_block(block.text)
            lines += [f"*{text}*" if block.emphasis else text, ""]
        elif isinstance(block, BulletList):
            lines += [f"- {escape(item)}" for item in block.items] + [""]
        elif isinstance(block, KeyValues):
            lines += [*_table(("", ""), block.pairs), ""]
        elif isinstance(block, Table):
            lines += [*_table(block.headers, block.rows), ""]
        elif isinstance(block, Chart):
            number = chart_numbers.setdefault(id(block), len(chart_numbers) + 1)
            lines += [
                f"*Chart {number}: {escape(block.caption)} (charts are drawn in the HTML and "
                "Word versions).*",
                "",
            ]
    for sub in section.subsections:
        lines += _section(sub, level + 1, chart_numbers)
    return lines


def render_markdown(document: ReportDocument) -> str:
    """The whole report as one Markdown text."""
    lines = [
        f"# {escape(document.title)}",
        "",
        f"Project: **{escape(document.project_name)}** · generated {escape(document.generated_on)}"
        f" · data version {escape(document.data_version)}",
        "",
    ]
    numbers: dict[int, int] = {}
    for section in document.sections:
        lines += _section(section, 2, numbers)
    return "\n".join(lines).rstrip() + "\n"
