"""Service interval: "replace every N months" on a product

Revision ID: f4a5b6c7d8e9
Revises: e3f4a5b6c7d8
Create Date: 2026-12-06 08:00:00

`products.service_interval_months` (nullable). Safe while the previous release serves: an
added nullable column (plain ADD COLUMN), which the old release never reads.
"""

import sqlalchemy as sa
from alembic import op

revision = 'f4a5b6c7d8e9'
down_revision = 'e3f4a5b6c7d8'
branch_labels = None
depends_on = None


def upgrade():
    op.add_column('products', sa.Column('service_interval_months', sa.Integer(), nullable=True))


def downgrade():
    op.drop_column('products', 'service_interval_months')
