"""evaluation round parts: a lower upper-level union's own deadlines and publication of its
units under a round opened above it

Revision ID: 4e8a1c6d2b57
Revises: 7c2f4e9b1d30
Create Date: 2026-12-05 17:10:00.000000+00:00

"""

from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision: str = "4e8a1c6d2b57"
down_revision: Union[str, Sequence[str], None] = "7c2f4e9b1d30"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table(
        "evaluation_round_parts",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("round_id", sa.Uuid(), nullable=False),
        sa.Column("union_id", sa.Uuid(), nullable=False),
        sa.Column("self_assessment_deadline", sa.Date(), nullable=True),
        sa.Column("appraisal_deadline", sa.Date(), nullable=True),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["round_id"],
            ["evaluation_rounds.id"],
            name=op.f("fk_evaluation_round_parts_round_id_evaluation_rounds"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["union_id"], ["unions.id"], name=op.f("fk_evaluation_round_parts_union_id_unions")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_evaluation_round_parts")),
        sa.UniqueConstraint("round_id", "union_id", name="uq_evaluation_round_parts_round_union"),
    )
    op.create_index(
        op.f("ix_evaluation_round_parts_union_id"),
        "evaluation_round_parts",
        ["union_id"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_evaluation_round_parts_union_id"), table_name="evaluation_round_parts")
    op.drop_table("evaluation_round_parts")
