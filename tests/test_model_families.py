"""Model families live in one place per aggregate: every input and output model (`…Create`,
`…Update`, `…Input`, `…In`, `…Public`) is defined under `workbench/models/`, with its validators,
and the services only re-export it."""

import ast
import importlib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "workbench"
FAMILY_SUFFIXES = ("Create", "Update", "Input", "In", "Public")
# Not table families: the domain's own values (it knows no tables) and the errors
# (`InvalidInput` is an exception).
OUTSIDE = ("models", "domain", "errors.py")


def _family_classes(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [
        node.name
        for node in ast.walk(tree)
        if isinstance(node, ast.ClassDef) and node.name.lstrip("_").endswith(FAMILY_SUFFIXES)
    ]


@pytest.mark.parametrize(
    "path",
    [
        p
        for p in sorted(PACKAGE.rglob("*.py"))
        if not set(OUTSIDE) & set(p.relative_to(PACKAGE).parts)
    ],
    ids=lambda p: str(p.relative_to(PACKAGE)),
)
def test_input_and_output_models_are_defined_only_in_models(path):
    assert _family_classes(path) == [], "define it in workbench/models/<aggregate>.py"


@pytest.mark.parametrize(
    ("service", "name", "model_module"),
    [
        ("workbench.services.experiments", "ExperimentCreate", "workbench.models.experiments"),
        ("workbench.services.experiments", "ExperimentPublic", "workbench.models.experiments"),
        ("workbench.services.experiments", "DecisionInput", "workbench.models.experiments"),
        ("workbench.services.registers", "ParkingLotPublic", "workbench.models.experiments"),
        ("workbench.services.registers", "NotePublic", "workbench.models.assessment"),
        ("workbench.services.assessment", "SnapshotPublic", "workbench.models.assessment"),
        ("workbench.services.estimates", "ScenarioPublic", "workbench.models.estimates"),
        ("workbench.services.demos", "FeaturePublic", "workbench.models.demos"),
        ("workbench.services.interviews", "InterviewAnswerPublic", "workbench.models.interviews"),
        ("workbench.services.inputs", "parse_phase", "workbench.models.inputs"),
    ],
)
def test_services_re_export_the_models_they_hand_out(service, name, model_module):
    assert getattr(importlib.import_module(service), name) is getattr(
        importlib.import_module(model_module), name
    )
