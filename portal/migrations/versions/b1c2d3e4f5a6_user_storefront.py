"""A person may belong to another storefront than their company (an employee store)

Revision ID: b1c2d3e4f5a6
Revises: f4a5b6c7d8e9
Create Date: 2026-12-06 03:00:00

`users.storefront_id` (nullable: the company's storefront). Safe while the previous release
serves: an added nullable column (plain ADD COLUMN) the old release never reads.
"""

import sqlalchemy as sa
from alembic import op

revision = 'b1c2d3e4f5a6'
down_revision = 'f4a5b6c7d8e9'
branch_labels = None
depends_on = None


def upgrade():
    if op.get_bind().dialect.name == 'sqlite':
        # SQLite adds a REFERENCES column in place when its default is NULL (Alembic would
        # want a table copy for the constraint).
        op.execute('ALTER TABLE users ADD COLUMN storefront_id INTEGER '
                   'REFERENCES storefronts (id)')
        return
    op.add_column('users', sa.Column('storefront_id', sa.Integer(), nullable=True))
    op.create_foreign_key('fk_users_storefront_id_storefronts', 'users', 'storefronts',
                          ['storefront_id'], ['id'])


def downgrade():
    with op.batch_alter_table('users') as batch_op:
        batch_op.drop_column('storefront_id')
