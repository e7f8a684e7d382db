"""API: customers, units, jobsites and users by external reference

Revision ID: c8e1f2a3b4d5
Revises: a7c31e9d5b42
Create Date: 2026-12-05 08:30:00

The CRM's or ERP's own id of a company (unique overall), of a unit or jobsite and of a user
(unique within their company), so the API can upsert them by it. Nullable: customers made in
the portal have none until a system claims them.
"""

import sqlalchemy as sa
from alembic import op

revision = 'c8e1f2a3b4d5'
down_revision = 'a7c31e9d5b42'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('companies', schema=None) as batch_op:
        batch_op.add_column(sa.Column('external_ref', sa.String(length=80), nullable=True))
        batch_op.create_unique_constraint('uq_companies_external_ref', ['external_ref'])
    with op.batch_alter_table('units', schema=None) as batch_op:
        batch_op.add_column(sa.Column('external_ref', sa.String(length=80), nullable=True))
        batch_op.create_unique_constraint('uq_units_external_ref', ['company_id', 'external_ref'])
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('external_ref', sa.String(length=80), nullable=True))
        batch_op.create_unique_constraint('uq_users_external_ref', ['company_id', 'external_ref'])


def downgrade():
    for table in ('users', 'units', 'companies'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(f'uq_{table}_external_ref', type_='unique')
            batch_op.drop_column('external_ref')
