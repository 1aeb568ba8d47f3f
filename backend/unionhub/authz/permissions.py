"""Roles and the permissions each grants: the one map every endpoint checks against."""

from enum import StrEnum


class Role(StrEnum):
    ADMIN = "admin"
    FEDERATION_OFFICER = "federation_officer"
    UNION_OFFICER = "union_officer"
    GRASSROOTS_OFFICER = "grassroots_officer"
    VIEWER = "viewer"


class Permission(StrEnum):
    UNIONS_READ = "unions:read"
    UNIONS_WRITE = "unions:write"
    USERS_READ = "users:read"
    USERS_MANAGE = "users:manage"
    AUDIT_READ = "audit:read"
    MEMBERS_READ = "members:read"
    MEMBERS_WRITE = "members:write"
    MEMBERS_PII = "members:pii"
    ENTERPRISES_READ = "enterprises:read"
    ENTERPRISES_WRITE = "enterprises:write"
    EVALUATIONS_READ = "evaluations:read"
    # Fill in the own unit's self-assessment.
    EVALUATIONS_SELF_ASSESS = "evaluations:self_assess"
    # Open rounds, appraise, return, approve and publish: held at the direct superior.
    EVALUATIONS_APPRAISE = "evaluations:appraise"
    # Add a scheme (or a new version of one): rules for the whole federation.
    EVALUATION_SCHEMES_MANAGE = "evaluation_schemes:manage"
    # Register, change, rotate and revoke integration clients (and their webhooks) at a union.
    CLIENTS_MANAGE = "clients:manage"
    # Programmes and their targets and allocations, at the owning union.
    PROGRAMMES_WRITE = "programmes:write"
    TRAINING_READ = "training:read"
    # Organise courses of the own union: roster, attendance, results.
    TRAINING_MANAGE = "training:manage"
    # Put the own union's cadres and members forward for a course it was invited to.
    TRAINING_NOMINATE = "training:nominate"
    # Add course kinds and post requirements: rules for the whole federation.
    TRAINING_RULES_MANAGE = "training_rules:manage"
    # Enter the own union's yearly spending figures.
    SPENDING_WRITE = "spending:write"
    # Approve the spending figures of the unions directly below.
    SPENDING_APPROVE = "spending:approve"
    # Periodic reports: read them; generate, correct and submit the own unit's report.
    REPORTS_READ = "reports:read"
    REPORTS_WRITE = "reports:write"
    # Send report requests down, return or approve the reports sent up, consolidate.
    REPORTS_REVIEW = "reports:review"
    # Add report templates (or a new version of one): forms for the whole federation.
    REPORT_TEMPLATES_MANAGE = "report_templates:manage"


P = Permission
_OFFICER = frozenset(P)  # officers hold every permission, within their subtree
# A district or sector union runs rounds under a scheme; it does not write the schemes.
_UNION_OFFICER = _OFFICER - {
    P.EVALUATION_SCHEMES_MANAGE,
    P.TRAINING_RULES_MANAGE,
    P.REPORT_TEMPLATES_MANAGE,
}

ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.ADMIN: frozenset(P),
    Role.FEDERATION_OFFICER: _OFFICER,
    Role.UNION_OFFICER: _UNION_OFFICER,
    Role.GRASSROOTS_OFFICER: frozenset(
        {
            P.UNIONS_READ,
            P.UNIONS_WRITE,
            P.USERS_READ,
            P.AUDIT_READ,
            P.MEMBERS_READ,
            P.MEMBERS_WRITE,
            P.MEMBERS_PII,
            P.ENTERPRISES_READ,
            P.EVALUATIONS_READ,
            P.EVALUATIONS_SELF_ASSESS,
            P.TRAINING_READ,
            P.TRAINING_MANAGE,
            P.TRAINING_NOMINATE,
            P.SPENDING_WRITE,
            P.REPORTS_READ,
            P.REPORTS_WRITE,
        }
    ),
    Role.VIEWER: frozenset(
        {
            P.UNIONS_READ,
            P.MEMBERS_READ,
            P.ENTERPRISES_READ,
            P.EVALUATIONS_READ,
            P.TRAINING_READ,
            P.REPORTS_READ,
        }
    ),
}

# Higher ranks may grant the roles at or below them, never above.
ROLE_RANK: dict[Role, int] = {
    Role.ADMIN: 100,
    Role.FEDERATION_OFFICER: 40,
    Role.UNION_OFFICER: 30,
    Role.GRASSROOTS_OFFICER: 20,
    Role.VIEWER: 10,
}


def permissions_of(role: Role | str) -> frozenset[Permission]:
    # A role's value finds its entry as the role itself does (a StrEnum hashes and compares as
    # its value): no `Role(...)` per call (a caller's checks ask it a dozen times a request).
    found = ROLE_PERMISSIONS.get(role)  # type: ignore[arg-type]
    return found if found is not None else ROLE_PERMISSIONS[Role(role)]
