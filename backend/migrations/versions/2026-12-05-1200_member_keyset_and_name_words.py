"""members, enterprises: keyset indexes for the lists; whole-word name index for searches

Revision ID: 7b3f91c2d8e5
Revises: 7b15b3e8f007
Create Date: 2026-12-05 12:00:00.000000+00:00

"""
from typing import Sequence, Union

from alembic import op


# revision identifiers, used by Alembic.
revision: str = '7b3f91c2d8e5'
down_revision: Union[str, Sequence[str], None] = '7b15b3e8f007'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    # The member list's usual filters (union, status, gender) sorted by name: a page after a
    # cursor reads from the cursor on, whatever its depth. Replaces (union_id, status, gender),
    # its prefix.
    op.create_index(
        'ix_members_union_id_status_gender_search_name',
        'members',
        ['union_id', 'status', 'gender', 'search_name', 'id'],
    )
    op.drop_index('ix_members_union_id_status_gender', table_name='members')
    # The words of an accent-free name as lexemes, and each word reversed behind '~' (so a
    # search fragment that ends a word is a prefix of a reversed word). A name search of two
    # or more words intersects these word lists (GIN) before the exact LIKE; see
    # members.search.
    op.execute(
        """
        CREATE FUNCTION member_name_lexemes(name text) RETURNS tsvector
        LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
          SELECT array_to_tsvector(array_agg(w) || array_agg('~' || reverse(w)))
          FROM unnest(string_to_array(name, ' ')) AS w WHERE w <> ''
        $$
        """
    )
    op.execute(
        "CREATE INDEX ix_members_name_lexemes ON members "
        "USING gin (member_name_lexemes(search_name))"
    )


    # The enterprise list's name order, for its cursor pages.
    op.execute(
        'CREATE INDEX ix_enterprises_name_vi_id ON enterprises (name COLLATE "vi-x-icu", id)'
    )


def downgrade() -> None:
    """Downgrade schema."""
    op.drop_index('ix_enterprises_name_vi_id', table_name='enterprises')
    op.drop_index('ix_members_name_lexemes', table_name='members')
    op.execute("DROP FUNCTION member_name_lexemes(text)")
    op.create_index(
        'ix_members_union_id_status_gender', 'members', ['union_id', 'status', 'gender']
    )
    op.drop_index('ix_members_union_id_status_gender_search_name', table_name='members')
