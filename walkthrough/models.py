"""Imports every feature's models so SQLAlchemy and Alembic see the whole schema."""

from .audit.models import AuditEvent  # noqa: F401
from .auth.models import RoleGrant, User  # noqa: F401
from .coaching.models import (  # noqa: F401
    CaseloadMember,
    CoachingActivity,
    CoachingCycle,
    CoachingRecord,
    GoalEvidence,
    GrowthGoal,
)
from .cohorts.models import Cohort, CohortMeeting, CohortMember, MeetingAttendance  # noqa: F401
from .coverage.models import CoverageRequest, SubstitutePool  # noqa: F401
from .learning.models import LearningEntry, RequiredTraining  # noqa: F401
from .observations.models import AppliedChange, EvidenceEntry, NoteSlot, Observation, Photo  # noqa: F401
from .outbox.models import NotificationSetting, OutboxMessage, SentNudge, WorkerBeat  # noqa: F401
from .protocols.models import Protocol, ProtocolVersion  # noqa: F401
from .rollups.models import (  # noqa: F401
    PersonMonth,
    RollupState,
    SchoolMonthCover,
    SchoolMonthVisits,
    StaleCell,
)
from .roster.models import RosterUpload  # noqa: F401
from .schools.models import BellPeriod, PeriodAssignment, School  # noqa: F401
from .showcase.models import ShowcaseItem  # noqa: F401
from .surveys.models import Survey, SurveyAnswer, SurveyInvitation, SurveyQuestion, SurveyResponse  # noqa: F401
from .toolkit.models import ToolkitResource, ToolkitTag  # noqa: F401
from .visits.models import SignUp, VisitSlot  # noqa: F401
from .walks.models import Walk, WalkClassroom, WalkMark, WalkSummary, WalkTeamMember, WalkTool  # noqa: F401
