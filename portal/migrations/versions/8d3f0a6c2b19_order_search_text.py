"""order search text: one lowercased text per order, trigram-indexed on PostgreSQL

Revision ID: 8d3f0a6c2b19
Revises: 5b7e2c41d9a0
Create Date: 2026-11-22 12:40:00

Order-history search joined two million order lines on the large data set (2-3 s on
PostgreSQL). Existing orders get their text here; new ones when they are placed.
"""
from alembic import op
import sqlalchemy as sa

revision = '8d3f0a6c2b19'
down_revision = '5b7e2c41d9a0'
branch_labels = None
depends_on = None

# The same text as portal/services/order_search.py writes (kept here: a migration must
# not change when the application code does).
_FILL = """
UPDATE orders SET search_text =
  lower(number || ' ' || po_number || ' ' || notes) || ' ' || coalesce(
    (SELECT {agg}(lower(order_lines.sku || ' ' || order_lines.name), ' ')
     FROM order_lines WHERE order_lines.order_id = orders.id), '')
"""


def upgrade():
    with op.batch_alter_table('orders', schema=None) as batch_op:
        batch_op.add_column(sa.Column('search_text', sa.Text(), server_default='',
                                      nullable=False))
    dialect = op.get_bind().dialect.name
    op.execute(_FILL.format(agg="string_agg" if dialect == "postgresql" else "group_concat"))
    if dialect == "postgresql":
        op.create_index("ix_orders_search_trgm", "orders", ["search_text"],
                        postgresql_using="gin", postgresql_ops={"search_text": "gin_trgm_ops"})


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.drop_index("ix_orders_search_trgm", table_name="orders")
    with op.batch_alter_table('orders', schema=None) as batch_op:
        batch_op.drop_column('search_text')
