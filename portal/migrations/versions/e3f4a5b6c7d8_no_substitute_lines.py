"""No substitute: a cart, list or order line the buyer wants as it is

Revision ID: e3f4a5b6c7d8
Revises: d2e3f4a5b6c7
Create Date: 2026-12-06 07:00:00

`cart_lines.no_substitute`, `shopping_list_lines.no_substitute`, `order_lines.no_substitute`
(false). Safe while the previous release serves: added columns with a constant default (plain
ADD COLUMN, no table copy), which the old release never reads and whose inserts get false.
"""

import sqlalchemy as sa
from alembic import op

revision = 'e3f4a5b6c7d8'
down_revision = 'd2e3f4a5b6c7'
branch_labels = None
depends_on = None

TABLES = ('cart_lines', 'shopping_list_lines', 'order_lines')


def upgrade():
    for table in TABLES:
        op.add_column(table, sa.Column('no_substitute', sa.Boolean(),
                                       server_default=sa.false(), nullable=False))


def downgrade():
    for table in TABLES:
        op.drop_column(table, 'no_substitute')
