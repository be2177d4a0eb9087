"""Someone's text inside the Markdown that Streamlit renders: shown as typed, never acted on.

Streamlit renders Markdown in st.markdown, st.write of a string, captions, alerts, headings,
toasts, widget labels and help, radio options, tab and expander labels, and the cells and
headers of st.table. User text placed in any of those goes through `markdown_text` (one line),
`markdown_block` (line breaks kept) or `markdown_table` (a frame for st.table): what Markdown,
GitHub-flavoured Markdown or Streamlit's directives (`:red[…]`, `:material/…:`, `$…$`) would
act on is backslash-escaped — inline markup characters anywhere, block markers (`#`, `-`,
`1.`…) at a line's start — so `![x](http://host/x.png)` shows as those characters and loads
nothing, while "Ride-time, 2026-12-01" stays as it is.

Escapes do not stop GitHub-flavoured Markdown from turning a bare address (`http://…`,
`www.…`, `name@host`) into a live link: it finds those in the text after the escapes are
resolved. So an invisible WORD JOINER (U+2060) goes right after `http`/`https`/`www` and before
`@`, which the link finder does not match and a reader does not see.

Where a plain element fits (st.text, st.code, st.dataframe's cells), use it instead.
"""

from __future__ import annotations

import re
from typing import Any

import pandas as pd

# Characters that open or close markup anywhere in a line: emphasis, code, links and images
# (with "[" and "]" escaped no link, image or Streamlit directive `:red[…]` can form), HTML and
# autolinks, strikethrough, LaTeX, tables, Streamlit's icons and emoji (`:material/…:`).
_INLINE = re.compile(r"([\\`*_{}\[\]<>~$|:])")
# "&amp;" or "&#60;" would be read as a character reference; a bare "&" is text.
_ENTITY = re.compile(r"&(?=#?\w+;)")
# At the start of a line these open a block: heading, quote, list, thematic break.
_BLOCK_START = re.compile(r"^(\s*)([#>+=-]|\d+(?=[.)]))")
WORD_JOINER = "\u2060"
# What GitHub-flavoured Markdown would turn into a link: "http:", "https:", "www." and "@".
_LINK_START = re.compile(r"(?i)(\bhttps?(?=:)|\bwww(?=\.)|(?=@))")


def _escaped(line: str) -> str:
    line = _LINK_START.sub(lambda m: m.group(0) + WORD_JOINER, line)
    line = _ENTITY.sub(r"\\&", _INLINE.sub(r"\\\1", line))
    block = _BLOCK_START.match(line)
    if block is None:
        return line
    indent, start = block.groups()
    if start[0].isdigit():  # "1." or "1)": escape the dot or bracket after the number
        return f"{indent}{start}\\{line[block.end()]}{line[block.end() + 1 :]}"
    return f"{indent}\\{line[len(indent) :]}"


_ALERT = re.compile(r"([\\\[\]<>])")


def alert_text(text: object) -> str:
    """A sentence that may quote someone's text, for an alert (st.error, st.success…): no link,
    image, HTML or Streamlit directive can form in it (backslashes, brackets and angle brackets
    escaped), while its punctuation stays as written. A bare address may still show as a link:
    it loads nothing unless clicked."""
    lines = str(text).replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return "  \n".join(_ALERT.sub(r"\\\1", line) for line in lines)


def markdown_text(text: object) -> str:
    """`text` as one line of Markdown that shows exactly these characters."""
    return _escaped(str(text).replace("\r", " ").replace("\n", " "))


def markdown_block(text: object) -> str:
    """`text` as Markdown that shows exactly these characters, keeping its line breaks."""
    lines = str(text).replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return "  \n".join(_escaped(line) for line in lines)


def markdown_table(frame: pd.DataFrame) -> pd.DataFrame:
    """`frame` for st.table (which renders its cells and headers as Markdown): every text cell
    and header escaped; numbers, dates and empty cells as they are."""

    def cell(value: Any) -> Any:
        return markdown_text(value) if isinstance(value, str) else value

    shown = frame.map(cell)
    shown.columns = [cell(column) for column in frame.columns]
    return shown
