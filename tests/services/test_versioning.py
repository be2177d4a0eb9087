"""The one conflict path: a stale edit is always refused the same way, on SQLite and PostgreSQL."""

import pytest
from sqlmodel import Session

from tests.dates import TODAY
from workbench import versioning
from workbench.errors import NotFound, StaleEditError
from workbench.models import Project, ProjectPublic
from workbench.services import projects as project_service


@pytest.fixture
def project(engine):
    return project_service.create_project(
        engine, data={"name": "Fraud alerts", "sponsor": "CFO"}, actor="Ann", today=TODAY
    )


def test_the_version_the_user_saw_loads_the_row(engine, project):
    with Session(engine) as session:
        row = versioning.load_for_edit(session, Project, project.id, 1, what="project")
        assert row.name == "Fraud alerts"


def test_an_older_version_is_refused_with_the_fields_that_differ(engine, project):
    with Session(engine) as session:
        row = session.get(Project, project.id)
        row.sponsor = "COO"
        session.add(row)
        versioning.commit(session, row)
    with Session(engine) as session, pytest.raises(StaleEditError) as refused:
        versioning.load_for_edit(
            session,
            Project,
            project.id,
            1,
            {"sponsor": "CEO", "name": "Fraud alerts"},
            what="project",
            public=ProjectPublic.model_validate,
        )
    error = refused.value
    assert error.conflicts == {"sponsor": ("CEO", "COO")}  # the unchanged name is no conflict
    assert isinstance(error.current, ProjectPublic) and error.current.version == 2
    assert error.saved_by == "Ann"


def test_a_record_that_is_gone_is_not_found_in_plain_words(engine, project):
    with Session(engine) as session, pytest.raises(NotFound, match="no project #999"):
        versioning.load_for_edit(session, Project, 999, 1, what="project")


def test_a_writer_between_read_and_write_makes_the_edit_stale(engine, project):
    with Session(engine) as mine, Session(engine) as theirs:
        my_row = versioning.load_for_edit(mine, Project, project.id, 1, what="project")
        their_row = theirs.get(Project, project.id)
        their_row.owner = "Bo"
        theirs.add(their_row)
        theirs.commit()
        my_row.owner = "Ann"
        mine.add(my_row)
        with pytest.raises(StaleEditError) as refused:
            versioning.commit(mine, my_row, {"owner": "Ann"}, public=ProjectPublic.model_validate)
    assert refused.value.conflicts == {"owner": ("Ann", "Bo")}
    with Session(engine) as session:
        assert session.get(Project, project.id).owner == "Bo"
