"""On the jobsite: the company's PO number rule (companies.po_rule)

Revision ID: c5d6e7f8a9b0
Revises: b4c5d6e7f8a9
Create Date: 2026-12-05 13:20:00

What checkout proposes in the PO number field: "ask" (nothing, as before), "reuse" (the
repeated order's PO, else the buyer's last one) or "generate" (the date and a count of the
day's orders). An added column with a server default: safe while the previous release serves
(it never reads it; its inserts get "ask").
"""

import sqlalchemy as sa
from alembic import op

revision = 'c5d6e7f8a9b0'
down_revision = 'b4c5d6e7f8a9'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('companies', schema=None) as batch_op:
        batch_op.add_column(sa.Column('po_rule', sa.String(length=10), nullable=False,
                                      server_default='ask'))


def downgrade():
    with op.batch_alter_table('companies', schema=None) as batch_op:
        batch_op.drop_column('po_rule')
