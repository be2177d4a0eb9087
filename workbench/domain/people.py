"""The people around an ML project and their roles (McMahon ch. 1; Wilson ch. 1)."""

from enum import StrEnum


class StakeholderRole(StrEnum):
    """A stakeholder's role on the project."""

    SPONSOR = "Business sponsor"
    PM = "Project manager"
    DATA_SCIENTIST = "Data scientist"
    ML_ENGINEER = "ML engineer"
    MLOPS_ENGINEER = "MLOps engineer"
    DATA_ENGINEER = "Data engineer"
    SME = "Subject-matter expert"
    OTHER = "Other"
