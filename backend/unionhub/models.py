"""Imports every model so Alembic and the tests see the whole schema."""

from unionhub.auth.models import (
    AuthSession,
    IntegrationClient,
    LoginThrottle,
    MemberAccount,
    RefreshToken,
    RoleAssignment,
    User,
)
from unionhub.changes.webhook_models import WebhookDelivery, WebhookSubscription
from unionhub.core.audit import AuditEntry
from unionhub.core.client_calls import ClientUsage, IdempotencyRecord
from unionhub.core.db import Base
from unionhub.core.outbox import ChangeEvent
from unionhub.core.ratelimit import RateLimit
from unionhub.enterprises.models import Enterprise, EnterpriseCount, WorkerSurvey
from unionhub.evaluations.models import (
    Evaluation,
    EvaluationEvent,
    EvaluationRound,
    EvaluationScheme,
)
from unionhub.files.models import FileJob
from unionhub.imports.models import ImportJob
from unionhub.members.models import (
    CadreAssignment,
    Member,
    MemberActivationCode,
    MemberChangeRequest,
    MemberCountDelta,
    MemberCountTotal,
    MemberEvent,
    MemberFlowCount,
    MembershipPeriod,
    TransferRequest,
)
from unionhub.places.models import Commune, Industry, Province
from unionhub.programmes.models import Programme, ProgrammeTarget, TargetAllocation
from unionhub.reports.models import Report, ReportRequest, ReportTemplate
from unionhub.training.models import (
    Attendance,
    Course,
    CourseInvitation,
    CourseKind,
    Participant,
    PostRequirement,
    Qualification,
    Spending,
)
from unionhub.unions.models import Union, UnionEvent, UnionPeriod

__all__ = [
    "Attendance",
    "AuditEntry",
    "AuthSession",
    "Base",
    "CadreAssignment",
    "ChangeEvent",
    "ClientUsage",
    "Commune",
    "Course",
    "CourseInvitation",
    "CourseKind",
    "Enterprise",
    "EnterpriseCount",
    "Evaluation",
    "EvaluationEvent",
    "EvaluationRound",
    "EvaluationScheme",
    "FileJob",
    "IdempotencyRecord",
    "ImportJob",
    "Industry",
    "IntegrationClient",
    "LoginThrottle",
    "Member",
    "MemberAccount",
    "MemberActivationCode",
    "MemberChangeRequest",
    "MemberCountDelta",
    "MemberCountTotal",
    "MemberEvent",
    "MemberFlowCount",
    "MembershipPeriod",
    "Participant",
    "PostRequirement",
    "Programme",
    "ProgrammeTarget",
    "Province",
    "Qualification",
    "RateLimit",
    "RefreshToken",
    "Report",
    "ReportRequest",
    "ReportTemplate",
    "RoleAssignment",
    "Spending",
    "TargetAllocation",
    "TransferRequest",
    "Union",
    "UnionEvent",
    "UnionPeriod",
    "User",
    "WebhookDelivery",
    "WebhookSubscription",
    "WorkerSurvey",
]
