"""Offline changes: the key of each change a phone sent, so a replay is done once

Revision ID: d1e2f3a4b5c6
Revises: c5d6e7f8a9b0
Create Date: 2026-12-05 23:20:00

A phone that lost the signal queues its Adds, stepper changes and list edits and sends them
again when it comes back, each with the key it was first sent with: the key is stored with
the change, in its transaction, and a second request with it does nothing.
"""

import sqlalchemy as sa
from alembic import op

revision = 'd1e2f3a4b5c6'
down_revision = 'c5d6e7f8a9b0'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'replayed_changes',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('key', sa.String(length=64), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('user_id', 'key', name='uq_replayed_changes_user_key'),
    )
    op.create_index('ix_replayed_changes_created_at', 'replayed_changes', ['created_at'])


def downgrade():
    op.drop_index('ix_replayed_changes_created_at', table_name='replayed_changes')
    op.drop_table('replayed_changes')
