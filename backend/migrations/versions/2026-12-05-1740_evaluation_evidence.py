"""evaluation evidence: files a unit attaches to the indicators of its self-assessment

Revision ID: 7c2f4e9b1d30
Revises: c4e7a9b2d815
Create Date: 2026-12-05 17:00:00.000000+00:00

"""

from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision: str = "7c2f4e9b1d30"
down_revision: Union[str, Sequence[str], None] = "c4e7a9b2d815"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table(
        "evaluation_evidence",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("evaluation_id", sa.Uuid(), nullable=False),
        sa.Column("indicator", sa.String(length=32), nullable=False),
        sa.Column("file_name", sa.String(length=255), nullable=False),
        sa.Column("media_type", sa.String(length=120), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("uploaded_by", sa.Uuid(), nullable=True),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.CheckConstraint("size > 0", name=op.f("ck_evaluation_evidence_size_positive")),
        sa.ForeignKeyConstraint(
            ["evaluation_id"],
            ["evaluations.id"],
            name=op.f("fk_evaluation_evidence_evaluation_id_evaluations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["uploaded_by"],
            ["users.id"],
            name=op.f("fk_evaluation_evidence_uploaded_by_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_evaluation_evidence")),
    )
    op.create_index(
        "ix_evaluation_evidence_evaluation_id_indicator",
        "evaluation_evidence",
        ["evaluation_id", "indicator"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index(
        "ix_evaluation_evidence_evaluation_id_indicator", table_name="evaluation_evidence"
    )
    op.drop_table("evaluation_evidence")
