"""An index of the products with a service interval

Revision ID: a2b3c4d5e6f7
Revises: f1a2b3c4d5e6
Create Date: 2026-12-06 22:40:00

`ix_products_service_interval`: a partial index (the products whose
`service_interval_months` is set), so the home's "to replace" card finds them without
reading the catalogue. Safe while the previous release serves: an index only, of the few
rows concerned (built in well under a second on 50,000 products).
"""

import sqlalchemy as sa
from alembic import op

revision = 'a2b3c4d5e6f7'
down_revision = 'f1a2b3c4d5e6'
branch_labels = None
depends_on = None

WHERE = sa.text('service_interval_months IS NOT NULL')


def upgrade():
    op.create_index('ix_products_service_interval', 'products', ['id'],
                    postgresql_where=WHERE, sqlite_where=WHERE)


def downgrade():
    op.drop_index('ix_products_service_interval', 'products')
