"""What each buyer has bought, one row per product

Revision ID: b3c4d5e6f7a8
Revises: a2b3c4d5e6f7
Create Date: 2026-12-07 04:10:00

`bought_products`: for a buyer and a product, over the orders that count (placed by them,
not rejected or cancelled), the latest order's moment and quantity, the largest quantity
and the days of the last year it was ordered on. The home's "due to reorder" and "to
replace" cards read it instead of the buyer's order lines (portal/services/ordering/bought.py
keeps it in step). `ix_products_discontinued`: a partial index of the discontinued products,
which the "to replace" card crosses with it.

Filled here from the order lines in one statement (23 s for two million lines on SQLite).
Not safe while the previous release serves: the orders it places meanwhile are not counted
until each of their products is ordered again by the same buyer; stop it, or run the upgrade
again after the roll-out (`portal db downgrade a2b3c4d5e6f7` then `portal db upgrade`
rebuilds the table).
"""

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from alembic import op

revision = 'b3c4d5e6f7a8'
down_revision = 'a2b3c4d5e6f7'
branch_labels = None
depends_on = None

# The statement portal/services/ordering/bought.py rebuilds the table with (kept here: a
# migration must not change when the application code does).
_FILL = """
WITH counted AS (
  SELECT orders.placed_by_id AS user_id, order_lines.product_id, orders.placed_at,
         order_lines.quantity, {day} AS day
  FROM order_lines JOIN orders ON orders.id = order_lines.order_id
  WHERE orders.status NOT IN ('rejected', 'cancelled')),
per_day AS (
  SELECT user_id, product_id, day, max(quantity) AS quantity FROM counted
  WHERE day >= :since GROUP BY user_id, product_id, day),
day_text AS (
  SELECT user_id, product_id, {agg}(day || ':' || quantity, ' ') AS days FROM per_day
  GROUP BY user_id, product_id),
ranked AS (
  SELECT user_id, product_id, placed_at, quantity,
         row_number() OVER (PARTITION BY user_id, product_id
                            ORDER BY placed_at DESC, quantity DESC) AS rank,
         max(quantity) OVER (PARTITION BY user_id, product_id) AS most
  FROM counted)
INSERT INTO bought_products (user_id, product_id, last_at, last_quantity, most, days)
SELECT ranked.user_id, ranked.product_id, ranked.placed_at, ranked.quantity, ranked.most,
       coalesce(day_text.days, '')
FROM ranked LEFT JOIN day_text ON day_text.user_id = ranked.user_id
                              AND day_text.product_id = ranked.product_id
WHERE ranked.rank = 1
"""
_DIALECT = {"sqlite": {"day": "date(orders.placed_at)", "agg": "group_concat"},
            "postgresql": {"day": "to_char(orders.placed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD')",
                           "agg": "string_agg"}}


def upgrade():
    op.create_table(
        'bought_products',
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('product_id', sa.Integer(), nullable=False),
        sa.Column('last_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('last_quantity', sa.Integer(), nullable=False),
        sa.Column('most', sa.Integer(), nullable=False),
        sa.Column('days', sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(['product_id'], ['products.id'],
                                name=op.f('fk_bought_products_product_id_products'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'],
                                name=op.f('fk_bought_products_user_id_users'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('user_id', 'product_id', name=op.f('pk_bought_products')),
    )
    bind = op.get_bind()
    since = (datetime.now(UTC) - timedelta(days=366)).date().isoformat()
    bind.execute(sa.text(_FILL.format(**_DIALECT[bind.dialect.name])), {"since": since})
    op.create_index('ix_bought_products_user_last', 'bought_products', ['user_id', 'last_at'])
    op.create_index('ix_products_discontinued', 'products', ['id'],
                    postgresql_where=sa.text('discontinued'),
                    sqlite_where=sa.text('discontinued = 1'))


def downgrade():
    op.drop_index('ix_products_discontinued', table_name='products')
    op.drop_index('ix_bought_products_user_last', table_name='bought_products')
    op.drop_table('bought_products')
