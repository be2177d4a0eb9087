"""A slide outline per demo (``.pptx``): what it shows, each feature's goal, questions to ask.

Feature demos stay light — a few slides (Wilson, ch. 3.1.3) — so the outline is one title slide
and one slide per demo: when, for whom, what it shows with the goal of each feature, and the
questions to put to the audience. Teams paste screenshots and results into it before the demo.
"""

import io
from collections.abc import Mapping, Sequence

from pptx import Presentation
from pptx.util import Pt

from workbench.domain.demo_schedule import DemoType, ItemKind, ScheduleItem

__all__ = ["QUESTIONS", "demo_outline_pptx"]

QUESTIONS: Mapping[DemoType, tuple[str, ...]] = {
    DemoType.LIGHT: (
        "Does {feature} do what you need in your work today?",
        "What is wrong, missing or confusing?",
        "What would you change before we build on it?",
    ),
    DemoType.BIG: (
        "Do these features work together for your process?",
        "Is this good enough to use? What is the least it must do?",
        "What should we build next, and what can we drop or park?",
    ),
}
"""Questions for the audience per kind of demo; ``{feature}`` is the feature's name."""

_TITLE_AND_CONTENT = 1
_TITLE = 0


def _bullets(frame, lines: Sequence[tuple[str, int]]) -> None:
    """Fill a text frame with (text, indent level) lines."""
    frame.clear()
    for index, (text, level) in enumerate(lines):
        paragraph = frame.paragraphs[0] if index == 0 else frame.add_paragraph()
        paragraph.text = text
        paragraph.level = level
        paragraph.font.size = Pt(18 if level == 0 else 15)


def demo_outline_pptx(
    project_name: str,
    items: Sequence[ScheduleItem],
    goals: Mapping[str, str] | None = None,
) -> bytes:
    """Write one slide per demo of a schedule, after a title slide.

    Args:
        project_name: shown on the title slide.
        items: the schedule items; build blocks are skipped.
        goals: feature name → what it does (its goal), shown under each feature a demo shows.

    Returns:
        The ``.pptx`` file's bytes.
    """
    goals = goals or {}
    deck = Presentation()
    title_slide = deck.slides.add_slide(deck.slide_layouts[_TITLE])
    title_slide.shapes.title.text = f"{project_name}: demo plan"
    title_slide.placeholders[1].text = "One slide per demo: what it shows and what we ask"
    shown_so_far: list[str] = []
    for item in items:
        if item.kind is ItemKind.BUILD:
            if item.feature is not None:
                shown_so_far.append(item.feature)
            continue
        demo_type = item.demo_type or DemoType.LIGHT
        features = [item.feature] if demo_type is DemoType.LIGHT else list(shown_so_far)
        when = item.start.strftime("%a %d %b %Y")
        lines: list[tuple[str, int]] = [
            (f"{when} · {demo_type.value} demo", 0),
            ("Audience: " + (", ".join(item.audience) or "to invite"), 0),
            ("What we show", 0),
        ]
        if features:
            for name in features:
                goal = goals.get(name, "").strip()
                lines.append((f"{name}: {goal}" if goal else name, 1))
        else:
            lines.append((item.shows, 1))
        lines.append(("Questions for the audience", 0))
        lines += [
            (question.format(feature=item.feature or "this"), 1)
            for question in QUESTIONS[demo_type]
        ]
        slide = deck.slides.add_slide(deck.slide_layouts[_TITLE_AND_CONTENT])
        slide.shapes.title.text = item.title
        _bullets(slide.placeholders[1].text_frame, lines)
    buffer = io.BytesIO()
    deck.save(buffer)
    return buffer.getvalue()
