"""background worker: outbox sending/dead states, import leases, heartbeats, periodic runs

Revision ID: 5b7e2d9c4a10
Revises: e4b19c7a5d20
Create Date: 2026-12-04 20:30:00

Safe while the previous version serves: new nullable columns and new tables only. Emails the
old sender had given up on (8 attempts, no dead state then) become dead, so staff see them.
"""
import sqlalchemy as sa
from alembic import op


revision = '5b7e2d9c4a10'
down_revision = 'e4b19c7a5d20'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.add_column(sa.Column('sending_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('dead_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('message_id', sa.String(length=250), nullable=False,
                                      server_default=''))
    op.execute("UPDATE outbox SET dead_at = next_attempt_at "
               "WHERE sent_at IS NULL AND attempts >= 8")
    with op.batch_alter_table('import_jobs', schema=None) as batch_op:
        batch_op.add_column(sa.Column('claimed_by', sa.String(length=80), nullable=False,
                                      server_default=''))
        batch_op.add_column(sa.Column('claimed_until', sa.DateTime(timezone=True), nullable=True))
    op.create_table(
        'worker_heartbeats',
        sa.Column('worker_id', sa.String(length=80), nullable=False),
        sa.Column('started_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('seen_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('worker_id', name=op.f('pk_worker_heartbeats')),
    )
    op.create_index(op.f('ix_worker_heartbeats_seen_at'), 'worker_heartbeats', ['seen_at'])
    op.create_table(
        'periodic_runs',
        sa.Column('job', sa.String(length=60), nullable=False),
        sa.Column('period', sa.String(length=40), nullable=False),
        sa.Column('worker_id', sa.String(length=80), nullable=False),
        sa.Column('started_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('state', sa.String(length=10), nullable=False),
        sa.Column('attempts', sa.Integer(), nullable=False),
        sa.Column('error', sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint('job', 'period', name=op.f('pk_periodic_runs')),
    )


def downgrade():
    op.drop_table('periodic_runs')
    op.drop_index(op.f('ix_worker_heartbeats_seen_at'), table_name='worker_heartbeats')
    op.drop_table('worker_heartbeats')
    with op.batch_alter_table('import_jobs', schema=None) as batch_op:
        batch_op.drop_column('claimed_until')
        batch_op.drop_column('claimed_by')
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.drop_column('message_id')
        batch_op.drop_column('dead_at')
        batch_op.drop_column('sending_at')
