"""Public-sector storefront: framework contracts, and an order's service code and contract

Revision ID: a7c3e5f90b12
Revises: d9e0f1a2b3c4
Create Date: 2026-12-06 06:00:00

New tables `framework_contracts` and `framework_contract_lines`; `orders.service_code` (empty
by default) and `orders.framework_contract_id` (nullable). Safe while the previous release
serves: new tables it never reads, added columns with a default or nullable (plain ADD
COLUMN) it never writes.
"""

import sqlalchemy as sa
from alembic import op

revision = 'a7c3e5f90b12'
down_revision = 'd9e0f1a2b3c4'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'framework_contracts',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('company_id', sa.Integer(), nullable=False),
        sa.Column('storefront_id', sa.Integer(), nullable=False),
        sa.Column('reference', sa.String(length=40), nullable=False),
        sa.Column('title', sa.String(length=200), nullable=False),
        sa.Column('starts_on', sa.Date(), nullable=False),
        sa.Column('ends_on', sa.Date(), nullable=False),
        sa.Column('ceiling_cents', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint('ceiling_cents > 0',
                           name='ck_framework_contracts_framework_ceiling_positive'),
        sa.CheckConstraint('ends_on >= starts_on',
                           name='ck_framework_contracts_framework_period_ordered'),
        sa.ForeignKeyConstraint(['company_id'], ['companies.id'],
                                name='fk_framework_contracts_company_id_companies'),
        sa.ForeignKeyConstraint(['storefront_id'], ['storefronts.id'],
                                name='fk_framework_contracts_storefront_id_storefronts'),
        sa.PrimaryKeyConstraint('id', name='pk_framework_contracts'),
        sa.UniqueConstraint('company_id', 'reference', name='uq_framework_contract_reference'),
    )
    op.create_index('ix_framework_contracts_company_id', 'framework_contracts', ['company_id'])
    op.create_table(
        'framework_contract_lines',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('contract_id', sa.Integer(), nullable=False),
        sa.Column('product_id', sa.Integer(), nullable=False),
        sa.Column('unit_price_cents', sa.Integer(), nullable=False),
        sa.CheckConstraint('unit_price_cents > 0',
                           name='ck_framework_contract_lines_framework_price_positive'),
        sa.ForeignKeyConstraint(['contract_id'], ['framework_contracts.id'], ondelete='CASCADE',
                                name='fk_framework_contract_lines_contract_id_framework_contracts'),
        sa.ForeignKeyConstraint(['product_id'], ['products.id'],
                                name='fk_framework_contract_lines_product_id_products'),
        sa.PrimaryKeyConstraint('id', name='pk_framework_contract_lines'),
        sa.UniqueConstraint('contract_id', 'product_id', name='uq_framework_line_product'),
    )
    op.create_index('ix_framework_contract_lines_contract_id', 'framework_contract_lines',
                    ['contract_id'])
    op.add_column('orders', sa.Column('service_code', sa.String(length=100), nullable=False,
                                      server_default=''))
    if op.get_bind().dialect.name == 'sqlite':
        # SQLite adds a REFERENCES column in place when its default is NULL (Alembic would
        # want a table copy for the constraint).
        op.execute('ALTER TABLE orders ADD COLUMN framework_contract_id INTEGER '
                   'REFERENCES framework_contracts (id)')
    else:
        op.add_column('orders', sa.Column('framework_contract_id', sa.Integer(), nullable=True))
        op.create_foreign_key('fk_orders_framework_contract_id_framework_contracts', 'orders',
                              'framework_contracts', ['framework_contract_id'], ['id'])
    op.create_index('ix_orders_framework_contract_id', 'orders', ['framework_contract_id'])


def downgrade():
    op.drop_index('ix_orders_framework_contract_id', table_name='orders')
    with op.batch_alter_table('orders') as batch_op:
        batch_op.drop_column('framework_contract_id')
        batch_op.drop_column('service_code')
    op.drop_index('ix_framework_contract_lines_contract_id',
                  table_name='framework_contract_lines')
    op.drop_table('framework_contract_lines')
    op.drop_index('ix_framework_contracts_company_id', table_name='framework_contracts')
    op.drop_table('framework_contracts')
