"""trigram index on product SKUs on PostgreSQL

Revision ID: c4d5e6f7a8b9
Revises: b3c4d5e6f7a8
Create Date: 2026-12-07 12:50:00

PostgreSQL only: quick order's "did you mean" looks for SKUs sharing the first or the last
half of an unknown code ('ZZZ-9%', '%00000'); on 50,000 products that scanned the table
(14 ms) where the names beside it came from their trigram index. SQLite gets nothing here.
Safe while the previous release serves: an index, 50,000 short values (under a second).
"""
from alembic import op

revision = 'c4d5e6f7a8b9'
down_revision = 'b3c4d5e6f7a8'
branch_labels = None
depends_on = None


def upgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    op.create_index("ix_products_sku_trgm", "products", ["sku"],
                    postgresql_using="gin", postgresql_ops={"sku": "gin_trgm_ops"})


def downgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    op.drop_index("ix_products_sku_trgm", table_name="products")
