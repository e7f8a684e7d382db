"""Employee stores opened for a company, and a storefront's legal mentions

Revision ID: d9e0f1a2b3c4
Revises: c7d8e9f0a1b2
Create Date: 2026-12-06 06:00:00

New table `crew_stores` (company, employee storefront): the employee stores the seller opened
for a customer company, the ones its company admin may put people on. Each company that
already has people on another storefront than its own gets that link, so nothing changes for
them. `storefronts.legal_mentions` (text, "" by default): printed in the storefront's footer
and on its orders' invoices. Safe while the previous release serves: a new table and an added
column with a constant default, which the old release never reads.
"""

import sqlalchemy as sa
from alembic import op

revision = 'd9e0f1a2b3c4'
down_revision = 'c7d8e9f0a1b2'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'crew_stores',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('company_id', sa.Integer(), nullable=False),
        sa.Column('storefront_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['company_id'], ['companies.id'],
                                name='fk_crew_stores_company_id_companies'),
        sa.ForeignKeyConstraint(['storefront_id'], ['storefronts.id'],
                                name='fk_crew_stores_storefront_id_storefronts'),
        sa.PrimaryKeyConstraint('id', name='pk_crew_stores'),
        sa.UniqueConstraint('company_id', 'storefront_id', name='uq_crew_stores'),
    )
    op.create_index('ix_crew_stores_company_id', 'crew_stores', ['company_id'])
    op.execute(
        "INSERT INTO crew_stores (company_id, storefront_id) "
        "SELECT DISTINCT users.company_id, users.storefront_id FROM users "
        "JOIN companies ON companies.id = users.company_id "
        "WHERE users.storefront_id IS NOT NULL "
        "AND users.storefront_id <> companies.storefront_id")
    op.add_column('storefronts', sa.Column('legal_mentions', sa.Text(), nullable=False,
                                           server_default=''))


def downgrade():
    with op.batch_alter_table('storefronts') as batch_op:
        batch_op.drop_column('legal_mentions')
    op.drop_index('ix_crew_stores_company_id', table_name='crew_stores')
    op.drop_table('crew_stores')
