"""The weekly "due to reorder" e-mail: who asked for it, when it last went; unsubscribe links

Revision ID: e7f8a9b0c1d2
Revises: d1e2f3a4b5c6
Create Date: 2026-12-05 23:40:00

`users.due_digest` (opt-in, off), `users.due_digest_week` (the Monday of the last week it
was considered for them), `outbox.unsubscribe_url` (sent as List-Unsubscribe with one-click
unsubscribe, RFC 8058).
"""

import sqlalchemy as sa
from alembic import op

revision = 'e7f8a9b0c1d2'
down_revision = 'd1e2f3a4b5c6'
branch_labels = None
depends_on = None


def upgrade():
    # Plain ADD COLUMN (constant defaults): SQLite's batch mode would copy `users`, which other
    # tables reference, and a populated database refuses to drop it.
    op.add_column('users', sa.Column('due_digest', sa.Boolean(), nullable=False,
                                     server_default='0'))
    op.add_column('users', sa.Column('due_digest_week', sa.Date(), nullable=True))
    op.add_column('outbox', sa.Column('unsubscribe_url', sa.String(length=500), nullable=False,
                                      server_default=''))


def downgrade():
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.drop_column('unsubscribe_url')
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('due_digest_week')
        batch_op.drop_column('due_digest')
