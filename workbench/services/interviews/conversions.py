"""Turn an answer, in one step, into charter text, a risk, an assumption, an open question or a
parked idea that links back to it — once, even when two people do it at the same time."""

from __future__ import annotations

from datetime import date

from sqlalchemy.engine import Engine
from sqlmodel import Session

from workbench.errors import InvalidInput
from workbench.models import LONG_TEXT_MAX, SHORT_TEXT_MAX, NoteKind, SourceKind
from workbench.models.interviews import ConversionTarget, DerivedRecord
from workbench.services import projects as project_service
from workbench.services import registers
from workbench.services.interviews.answers import answer_context, derived
from workbench.services.interviews.common import (
    CHARTER_ACTION,
    CHARTER_FIELDS,
    MadeMeanwhile,
    Seen,
    clip,
    label,
)


def _refuse_made_meanwhile(
    records: tuple[DerivedRecord, ...], target: ConversionTarget, expected_version: int
) -> None:
    """Refuse when records of this kind were made from the answer after the user looked."""
    if len(records) == expected_version:
        return
    made = "; ".join(f"{target.value} #{r.record_id}: {clip(r.text, 80)}" for r in records)
    raise MadeMeanwhile(
        current=Seen(version=len(records), made=made),
        conflicts={"made": ("", made or "(removed)")},
        message=(
            f"Not made: what was made from this answer as {target.value} changed after you "
            "opened it (someone else may have just done the same). Nothing was added. To make "
            "yours anyway, choose “Keep my edits” and click again."
        ),
    )


def convert_answer(
    engine: Engine,
    answer_id: int,
    *,
    project_id: int,
    to: ConversionTarget | str,
    actor: str,
    today: date,
    expected_version: int,
    text: str | None = None,
    title: str | None = None,
    charter_field: str = "current_process",
) -> DerivedRecord:
    """Turn an answer into charter text, a risk, an assumption, an open question or a parking-lot
    item that links back to it (source_kind 'interview', source_id = answer id).

    `text` replaces the answer's wording (default: the answer as given); `title` names a risk
    (default: the answer's first line). `expected_version` is what the user saw: for the charter,
    the project's version (the text is appended to `charter_field` with the expert's name through
    the version-checked charter edit, and the link is logged); for the others, how many records
    of that kind were already made from this answer (`InterviewAnswerPublic.made`). Raises
    InvalidInput, NotFound, or StaleEditError (nothing made) when that moved on.
    """
    actor = project_service.check_actor(actor)
    try:
        target = ConversionTarget(to)
    except ValueError:
        raise InvalidInput(
            {"to": f"Choose one of: {', '.join(t.value for t in ConversionTarget)}."}
        ) from None
    with Session(engine) as session:
        answer, interview, question_text = answer_context(session, answer_id, project_id)
        source_label = clip(
            f"Interview with {label(interview)}, Q: {question_text}", SHORT_TEXT_MAX
        )
        who, expert_name, interview_id = label(interview), interview.expert_name, interview.id
        made = tuple(d for d in derived(session, project_id).get(answer_id, ()) if d.kind == target)
    body = (answer.answer if text is None else text).strip()
    errors: dict[str, str] = {}
    if not body:
        errors["text"] = "Required: this cannot be empty."
    elif target != ConversionTarget.CHARTER and len(body) > LONG_TEXT_MAX:
        errors["text"] = (
            f"Too long: at most {LONG_TEXT_MAX} characters (this has {len(body)}). Shorten it: "
            "the full answer stays linked."
        )
    if target == ConversionTarget.CHARTER and charter_field not in CHARTER_FIELDS:
        errors["charter_field"] = f"Choose one of: {', '.join(CHARTER_FIELDS.values())}."
    if errors:
        raise InvalidInput(errors)
    if target == ConversionTarget.CHARTER:
        return _append_to_charter(
            engine,
            project_id=project_id,
            answer_id=answer_id,
            interview_id=interview_id,
            field_name=charter_field,
            addition=f"{body} — {who}, SME interview",
            source_label=source_label,
            actor=actor,
            today=today,
            expected_version=expected_version,
        )
    _refuse_made_meanwhile(made, target, expected_version)
    source = {
        "source_kind": SourceKind.INTERVIEW.value,
        "source_id": answer_id,
        "source_label": source_label,
    }
    if target == ConversionTarget.RISK:
        risk_title = (title or "").strip() or clip(body.splitlines()[0], 120)
        risk = registers.create_risk(
            engine,
            project_id=project_id,
            data={"title": risk_title, "description": body, **source},
            actor=actor,
        )
        return DerivedRecord(target, risk.id, risk.title, risk.updated_at, actor)
    if target in (ConversionTarget.ASSUMPTION, ConversionTarget.OPEN_QUESTION):
        note = registers.create_note(
            engine,
            project_id=project_id,
            data={"kind": NoteKind(target.value).value, "text": body, **source},
            actor=actor,
        )
        return DerivedRecord(target, note.id, note.text, note.created_at, actor)
    item = registers.create_parking_lot_item(
        engine,
        project_id=project_id,
        data={"idea": body, "raised_by": clip(expert_name, SHORT_TEXT_MAX), **source},
        actor=actor,
    )
    return DerivedRecord(target, item.id, item.idea, item.created_at, actor)


def _append_to_charter(
    engine: Engine,
    *,
    project_id: int,
    answer_id: int,
    interview_id: int,
    field_name: str,
    addition: str,
    source_label: str,
    actor: str,
    today: date,
    expected_version: int,
) -> DerivedRecord:
    project = project_service.get_project(engine, project_id).project
    current = getattr(project, field_name)
    _, entry = project_service.update_project_noting_source(
        engine,
        project_id=project_id,
        expected_version=expected_version,
        data={field_name: f"{current}\n\n{addition}" if current else addition},
        actor=actor,
        today=today,
        source={
            "action": CHARTER_ACTION,
            "summary": f"Added to the charter ({CHARTER_FIELDS[field_name]}) from {source_label}.",
            "changes": {"answer_id": answer_id, "interview_id": interview_id, "field": field_name},
        },
    )
    if entry is None:  # the text was there already: nothing changed, nothing to link
        raise InvalidInput({"text": "The charter already says exactly this; nothing added."})
    return DerivedRecord(
        ConversionTarget.CHARTER,
        entry.id,
        f"Charter: {CHARTER_FIELDS[field_name]}",
        entry.at,
        actor,
    )
