"""Employee store: a crew member's yearly allowance, and the assortment a company chose for its
people on one storefront

Revision ID: c7d8e9f0a1b2
Revises: b1c2d3e4f5a6
Create Date: 2026-12-06 05:00:00

`users.yearly_allowance_cents` (nullable: no allowance) and `visibility_rules.storefront_id`
(nullable: the company's own storefront, as every existing row). Safe while the previous
release serves: added nullable columns (plain ADD COLUMN) the old release never reads.
"""

import sqlalchemy as sa
from alembic import op

revision = 'c7d8e9f0a1b2'
down_revision = 'b1c2d3e4f5a6'
branch_labels = None
depends_on = None


def upgrade():
    op.add_column('users', sa.Column('yearly_allowance_cents', sa.Integer(), nullable=True))
    if op.get_bind().dialect.name == 'sqlite':
        # SQLite adds a REFERENCES column in place when its default is NULL (Alembic would
        # want a table copy for the constraint).
        op.execute('ALTER TABLE visibility_rules ADD COLUMN storefront_id INTEGER '
                   'REFERENCES storefronts (id)')
        return
    op.add_column('visibility_rules', sa.Column('storefront_id', sa.Integer(), nullable=True))
    op.create_foreign_key('fk_visibility_rules_storefront_id_storefronts', 'visibility_rules',
                          'storefronts', ['storefront_id'], ['id'])


def downgrade():
    with op.batch_alter_table('visibility_rules') as batch_op:
        batch_op.drop_column('storefront_id')
    with op.batch_alter_table('users') as batch_op:
        batch_op.drop_column('yearly_allowance_cents')
