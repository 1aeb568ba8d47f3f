"""foundation: union tree, accounts, audit

Revision ID: 04448beadba1
Revises: 
Create Date: 2026-11-29 20:39:49.168935+00:00

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

import unionhub.core.db

# revision identifiers, used by Alembic.
revision: str = '04448beadba1'
down_revision: Union[str, Sequence[str], None] = None
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    for ext in ("ltree", "pg_trgm", "unaccent", "btree_gist"):
        op.execute(f"CREATE EXTENSION IF NOT EXISTS {ext}")
    op.create_table('login_throttle',
    sa.Column('key', sa.String(length=128), nullable=False),
    sa.Column('failures', sa.Integer(), nullable=False),
    sa.Column('last_failure_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('locked_until', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_login_throttle'))
    )
    op.create_table('unions',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('tree_key', sa.BigInteger(), sa.Identity(always=False), nullable=False),
    sa.Column('code', sa.String(length=32), nullable=False),
    sa.Column('name', sa.String(length=255), nullable=False),
    sa.Column('short_name', sa.String(length=100), nullable=True),
    sa.Column('level', sa.String(length=32), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('sector', sa.String(length=16), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('parent_id', sa.Uuid(), nullable=True),
    sa.Column('path', unionhub.core.db.Ltree(), nullable=False),
    sa.Column('founding_decision_no', sa.String(length=64), nullable=True),
    sa.Column('founded_on', sa.Date(), nullable=True),
    sa.Column('ended_on', sa.Date(), nullable=True),
    sa.Column('merged_into_id', sa.Uuid(), nullable=True),
    sa.Column('address', sa.String(length=500), nullable=True),
    sa.Column('commune_code', sa.String(length=5), nullable=True),
    sa.Column('phone', sa.String(length=20), nullable=True),
    sa.Column('email', sa.String(length=254), nullable=True),
    sa.Column('enterprise_id', sa.Uuid(), nullable=True),
    sa.Column('search_text', sa.Text(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint("kind IN ('province_federation', 'district_federation', 'sector_union', 'public_servants_union', 'industrial_zone_union', 'commune_union', 'enterprise_union', 'agency_union', 'school_union', 'public_service_unit_union', 'cooperative_union', 'occupational_union', 'internal_unit', 'other')", name=op.f('ck_unions_kind')),
    sa.CheckConstraint("level IN ('province_federation', 'direct_superior', 'grassroots', 'occupational', 'member_union', 'departmental', 'union_group')", name=op.f('ck_unions_level')),
    sa.CheckConstraint("sector IN ('state', 'non_state')", name=op.f('ck_unions_sector')),
    sa.CheckConstraint("status IN ('active', 'dissolved', 'merged')", name=op.f('ck_unions_status')),
    sa.ForeignKeyConstraint(['merged_into_id'], ['unions.id'], name=op.f('fk_unions_merged_into_id_unions')),
    sa.ForeignKeyConstraint(['parent_id'], ['unions.id'], name=op.f('fk_unions_parent_id_unions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_unions')),
    sa.UniqueConstraint('code', name=op.f('uq_unions_code')),
    sa.UniqueConstraint('tree_key', name=op.f('uq_unions_tree_key'))
    )
    op.create_index(op.f('ix_unions_enterprise_id'), 'unions', ['enterprise_id'], unique=False)
    op.create_index(op.f('ix_unions_parent_id'), 'unions', ['parent_id'], unique=False)
    op.create_index('ix_unions_path_gist', 'unions', ['path'], unique=False, postgresql_using='gist')
    op.create_index('ix_unions_search_trgm', 'unions', ['search_text'], unique=False, postgresql_using='gin', postgresql_ops={'search_text': 'gin_trgm_ops'})
    op.create_table('users',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('username', sa.String(length=64), nullable=False),
    sa.Column('full_name', sa.String(length=255), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=True),
    sa.Column('password_hash', sa.String(length=255), nullable=False),
    sa.Column('is_active', sa.Boolean(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_users')),
    sa.UniqueConstraint('username', name=op.f('uq_users_username'))
    )
    op.create_table('audit_log',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('actor_id', sa.Uuid(), nullable=True),
    sa.Column('actor_username', sa.String(length=64), nullable=True),
    sa.Column('action', sa.String(length=64), nullable=False),
    sa.Column('entity_type', sa.String(length=32), nullable=False),
    sa.Column('entity_id', sa.Uuid(), nullable=True),
    sa.Column('union_id', sa.Uuid(), nullable=True),
    sa.Column('before', postgresql.JSONB(astext_type=sa.Text()), nullable=True),
    sa.Column('after', postgresql.JSONB(astext_type=sa.Text()), nullable=True),
    sa.Column('request_id', sa.String(length=64), nullable=True),
    sa.Column('client_ip', postgresql.INET(), nullable=True),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_audit_log_actor_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['union_id'], ['unions.id'], name=op.f('fk_audit_log_union_id_unions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_log'))
    )
    op.create_index('ix_audit_log_actor_id_at', 'audit_log', ['actor_id', 'at'], unique=False)
    op.create_index('ix_audit_log_at', 'audit_log', ['at'], unique=False)
    op.create_index('ix_audit_log_entity', 'audit_log', ['entity_type', 'entity_id'], unique=False)
    op.create_index('ix_audit_log_union_id_at', 'audit_log', ['union_id', 'at'], unique=False)
    op.create_table('auth_sessions',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('user_id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('revoked_reason', sa.String(length=32), nullable=True),
    sa.Column('client_ip', sa.String(length=64), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_auth_sessions_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_auth_sessions'))
    )
    op.create_index(op.f('ix_auth_sessions_user_id'), 'auth_sessions', ['user_id'], unique=False)
    op.create_table('role_assignments',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('user_id', sa.Uuid(), nullable=False),
    sa.Column('role', sa.String(length=32), nullable=False),
    sa.Column('union_id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint("role IN ('admin', 'federation_officer', 'union_officer', 'grassroots_officer', 'viewer')", name=op.f('ck_role_assignments_role')),
    sa.ForeignKeyConstraint(['union_id'], ['unions.id'], name=op.f('fk_role_assignments_union_id_unions')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_role_assignments_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_role_assignments')),
    sa.UniqueConstraint('user_id', 'role', 'union_id', name='uq_role_assignments_user_role_union')
    )
    op.create_index(op.f('ix_role_assignments_union_id'), 'role_assignments', ['union_id'], unique=False)
    op.create_index(op.f('ix_role_assignments_user_id'), 'role_assignments', ['user_id'], unique=False)
    op.create_table('union_events',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('union_id', sa.Uuid(), nullable=False),
    sa.Column('event_type', sa.String(length=16), nullable=False),
    sa.Column('effective_date', sa.Date(), nullable=False),
    sa.Column('decision_no', sa.String(length=64), nullable=True),
    sa.Column('decision_date', sa.Date(), nullable=True),
    sa.Column('details', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.Column('actor_id', sa.Uuid(), nullable=True),
    sa.Column('recorded_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint("event_type IN ('founded', 'renamed', 'updated', 'moved', 'merged', 'absorbed', 'dissolved')", name=op.f('ck_union_events_event_type')),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_union_events_actor_id_users')),
    sa.ForeignKeyConstraint(['union_id'], ['unions.id'], name=op.f('fk_union_events_union_id_unions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_union_events'))
    )
    op.create_index('ix_union_events_union_id_effective_date', 'union_events', ['union_id', 'effective_date'], unique=False)
    op.create_table('union_periods',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('union_id', sa.Uuid(), nullable=False),
    sa.Column('parent_id', sa.Uuid(), nullable=True),
    sa.Column('name', sa.String(length=255), nullable=False),
    sa.Column('short_name', sa.String(length=100), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('valid_from', sa.Date(), nullable=False),
    sa.Column('valid_to', sa.Date(), nullable=True),
    sa.CheckConstraint("status IN ('active', 'dissolved', 'merged')", name=op.f('ck_union_periods_status')),
    sa.CheckConstraint('valid_to IS NULL OR valid_to > valid_from', name=op.f('ck_union_periods_range')),
    sa.ForeignKeyConstraint(['parent_id'], ['unions.id'], name=op.f('fk_union_periods_parent_id_unions')),
    sa.ForeignKeyConstraint(['union_id'], ['unions.id'], name=op.f('fk_union_periods_union_id_unions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_union_periods'))
    )
    op.create_index('ix_union_periods_parent_id', 'union_periods', ['parent_id'], unique=False)
    op.create_index('ix_union_periods_union_id_valid_from', 'union_periods', ['union_id', 'valid_from'], unique=False)
    op.create_table('refresh_tokens',
    sa.Column('jti', sa.Uuid(), nullable=False),
    sa.Column('session_id', sa.Uuid(), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('used_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['session_id'], ['auth_sessions.id'], name=op.f('fk_refresh_tokens_session_id_auth_sessions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('jti', name=op.f('pk_refresh_tokens'))
    )
    op.create_index('ix_refresh_tokens_session_id', 'refresh_tokens', ['session_id'], unique=False)
    # ### end Alembic commands ###
    # Periods of one union never overlap: the tree on any date is unambiguous.
    op.execute(
        "ALTER TABLE union_periods ADD CONSTRAINT ex_union_periods_no_overlap "
        "EXCLUDE USING gist (union_id WITH =, daterange(valid_from, valid_to, '[)') WITH &&)"
    )


def downgrade() -> None:
    """Downgrade schema."""
    # ### commands auto generated by Alembic - please adjust! ###
    op.drop_index('ix_refresh_tokens_session_id', table_name='refresh_tokens')
    op.drop_table('refresh_tokens')
    op.drop_index('ix_union_periods_union_id_valid_from', table_name='union_periods')
    op.drop_index('ix_union_periods_parent_id', table_name='union_periods')
    op.drop_table('union_periods')
    op.drop_index('ix_union_events_union_id_effective_date', table_name='union_events')
    op.drop_table('union_events')
    op.drop_index(op.f('ix_role_assignments_user_id'), table_name='role_assignments')
    op.drop_index(op.f('ix_role_assignments_union_id'), table_name='role_assignments')
    op.drop_table('role_assignments')
    op.drop_index(op.f('ix_auth_sessions_user_id'), table_name='auth_sessions')
    op.drop_table('auth_sessions')
    op.drop_index('ix_audit_log_union_id_at', table_name='audit_log')
    op.drop_index('ix_audit_log_entity', table_name='audit_log')
    op.drop_index('ix_audit_log_at', table_name='audit_log')
    op.drop_index('ix_audit_log_actor_id_at', table_name='audit_log')
    op.drop_table('audit_log')
    op.drop_table('users')
    op.drop_index('ix_unions_search_trgm', table_name='unions', postgresql_using='gin', postgresql_ops={'search_text': 'gin_trgm_ops'})
    op.drop_index('ix_unions_path_gist', table_name='unions', postgresql_using='gist')
    op.drop_index(op.f('ix_unions_parent_id'), table_name='unions')
    op.drop_index(op.f('ix_unions_enterprise_id'), table_name='unions')
    op.drop_table('unions')
    op.drop_table('login_throttle')
    # ### end Alembic commands ###
