"""Click-and-collect: warehouses that are collection points (with their opening hours), and
an order collected at one of them, paid there or by transfer

Revision ID: d8e9f0a1b2c3
Revises: a7c3e5f90b12
Create Date: 2026-12-06 05:40:00

`warehouses.collection_point` (false) and `warehouses.opening_hours` (empty);
`orders.collect_warehouse_id` (nullable: delivered, as every existing order; foreign key to
warehouses) and `orders.pay_at_collection` (false). Safe while the previous release serves:
added columns with a constant default or nullable (plain ADD COLUMN); the old release never
reads them and its inserts get the defaults.
"""

import sqlalchemy as sa
from alembic import op

revision = 'd8e9f0a1b2c3'
down_revision = 'a7c3e5f90b12'
branch_labels = None
depends_on = None


def upgrade():
    op.add_column('warehouses', sa.Column('collection_point', sa.Boolean(),
                                          server_default=sa.false(), nullable=False))
    op.add_column('warehouses', sa.Column('opening_hours', sa.Text(), server_default='',
                                          nullable=False))
    op.add_column('orders', sa.Column('pay_at_collection', sa.Boolean(),
                                      server_default=sa.false(), nullable=False))
    if op.get_bind().dialect.name == 'sqlite':
        # SQLite adds a REFERENCES column in place when its default is NULL (Alembic would
        # want a table copy for the constraint).
        op.execute('ALTER TABLE orders ADD COLUMN collect_warehouse_id INTEGER '
                   'REFERENCES warehouses (id)')
        return
    op.add_column('orders', sa.Column('collect_warehouse_id', sa.Integer(), nullable=True))
    op.create_foreign_key('fk_orders_collect_warehouse_id_warehouses', 'orders', 'warehouses',
                          ['collect_warehouse_id'], ['id'])


def downgrade():
    with op.batch_alter_table('orders') as batch_op:
        batch_op.drop_column('collect_warehouse_id')
        batch_op.drop_column('pay_at_collection')
    with op.batch_alter_table('warehouses') as batch_op:
        batch_op.drop_column('opening_hours')
        batch_op.drop_column('collection_point')
