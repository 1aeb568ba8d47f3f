"""member levels left to records: education and political-theory levels written on members
after the training migration (the member form still wrote them) become qualification records

The member API no longer writes the single fields: they are derived from the records. Any value
a member has without a record of that kind and level is carried over as the training migration
did (source "migrated", diploma, no date), so the derived level is the same as before.

Revision ID: 5b1d7e3a9c24
Revises: 9d41c7a2e5f8
Create Date: 2026-12-05 15:00:00.000000+00:00

"""
from typing import Sequence, Union

from alembic import op

# revision identifiers, used by Alembic.
revision: str = '5b1d7e3a9c24'
down_revision: Union[str, Sequence[str], None] = '9d41c7a2e5f8'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

GENERAL = "('primary', 'lower_secondary', 'upper_secondary')"


def upgrade() -> None:
    op.execute(
        f"""
        INSERT INTO qualifications (id, member_id, kind, level, major, evidence, source, version)
        SELECT gen_random_uuid(), n.member_id, n.kind, n.level, n.major, 'diploma', 'migrated', 1
        FROM (
            SELECT id AS member_id,
                   CASE WHEN education_level IN {GENERAL} THEN 'general_education'
                        ELSE 'professional' END AS kind,
                   CASE WHEN education_level = 'vocational' THEN 'intermediate'
                        ELSE education_level END AS level,
                   CASE WHEN education_level IN {GENERAL} THEN NULL
                        ELSE left(professional_qualification, 255) END AS major
            FROM members
            WHERE education_level IS NOT NULL AND education_level <> 'none'
            UNION ALL
            SELECT id, 'political_theory', political_theory, NULL
            FROM members
            WHERE political_theory IS NOT NULL AND political_theory <> 'none'
        ) n
        WHERE NOT EXISTS (
            SELECT 1 FROM qualifications q
            WHERE q.member_id = n.member_id AND q.kind = n.kind AND q.level = n.level
        )
        """
    )


def downgrade() -> None:
    # The records carried over stay: they are the same as those the training migration made.
    pass
