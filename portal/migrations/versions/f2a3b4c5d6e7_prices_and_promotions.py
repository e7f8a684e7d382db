"""Prices: price-list validity dates, promotions, contract prices, quote attachments

Revision ID: f2a3b4c5d6e7
Revises: e1a2b3c4d5f6
Create Date: 2026-12-05 13:20:00

Price lists get `valid_from` / `valid_until` (both empty on every existing list: they apply
as before). New tables `promotions` (a price or a share off a product for a period, for a
customer group or everyone) and `contract_prices` (one company's negotiated price for a
product until a day, from the quote that made it). Quote versions get `contract_until` (the
rep's "make these contract prices until"); quote messages get an optional attachment (its
storage key and file name). Only additions: safe while the previous release serves.
"""
import sqlalchemy as sa
from alembic import op

revision = 'f2a3b4c5d6e7'
down_revision = 'e1a2b3c4d5f6'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('price_lists') as batch:
        batch.add_column(sa.Column('valid_from', sa.Date(), nullable=True))
        batch.add_column(sa.Column('valid_until', sa.Date(), nullable=True))
    with op.batch_alter_table('quote_versions') as batch:
        batch.add_column(sa.Column('contract_until', sa.Date(), nullable=True))
    with op.batch_alter_table('quote_messages') as batch:
        batch.add_column(sa.Column('attachment_key', sa.String(length=120), nullable=True))
        batch.add_column(sa.Column('attachment_name', sa.String(length=120), nullable=True))
    op.create_table(
        'promotions',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('product_id', sa.Integer(), nullable=False),
        sa.Column('customer_group_id', sa.Integer(), nullable=True),
        sa.Column('unit_price_cents', sa.Integer(), nullable=True),
        sa.Column('percent_off_bp', sa.Integer(), nullable=True),
        sa.Column('starts_on', sa.Date(), nullable=False),
        sa.Column('ends_on', sa.Date(), nullable=False),
        sa.Column('created_by_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint('(unit_price_cents IS NULL) <> (percent_off_bp IS NULL)',
                           name='ck_promotions_price_or_percent'),
        sa.CheckConstraint('unit_price_cents IS NULL OR unit_price_cents >= 0',
                           name='ck_promotions_price_not_negative'),
        sa.CheckConstraint('percent_off_bp IS NULL OR (percent_off_bp > 0 AND '
                           'percent_off_bp < 10000)', name='ck_promotions_percent_in_range'),
        sa.CheckConstraint('starts_on <= ends_on', name='ck_promotions_dates_in_order'),
        sa.ForeignKeyConstraint(['product_id'], ['products.id'],
                                name='fk_promotions_product_id_products'),
        sa.ForeignKeyConstraint(['customer_group_id'], ['customer_groups.id'],
                                name='fk_promotions_customer_group_id_customer_groups'),
        sa.ForeignKeyConstraint(['created_by_id'], ['users.id'],
                                name='fk_promotions_created_by_id_users'),
        sa.PrimaryKeyConstraint('id', name='pk_promotions'),
    )
    op.create_index('ix_promotions_product_ends', 'promotions', ['product_id', 'ends_on'])
    op.create_table(
        'contract_prices',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('company_id', sa.Integer(), nullable=False),
        sa.Column('product_id', sa.Integer(), nullable=False),
        sa.Column('unit_price_cents', sa.Integer(), nullable=False),
        sa.Column('valid_until', sa.Date(), nullable=False),
        sa.Column('quote_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint('unit_price_cents >= 0', name='ck_contract_prices_price_not_negative'),
        sa.ForeignKeyConstraint(['company_id'], ['companies.id'],
                                name='fk_contract_prices_company_id_companies'),
        sa.ForeignKeyConstraint(['product_id'], ['products.id'],
                                name='fk_contract_prices_product_id_products'),
        sa.ForeignKeyConstraint(['quote_id'], ['quotes.id'],
                                name='fk_contract_prices_quote_id_quotes'),
        sa.PrimaryKeyConstraint('id', name='pk_contract_prices'),
        sa.UniqueConstraint('company_id', 'product_id',
                            name='uq_contract_prices_company_product'),
    )


def downgrade():
    op.drop_table('contract_prices')
    op.drop_index('ix_promotions_product_ends', table_name='promotions')
    op.drop_table('promotions')
    with op.batch_alter_table('quote_messages') as batch:
        batch.drop_column('attachment_name')
        batch.drop_column('attachment_key')
    with op.batch_alter_table('quote_versions') as batch:
        batch.drop_column('contract_until')
    with op.batch_alter_table('price_lists') as batch:
        batch.drop_column('valid_until')
        batch.drop_column('valid_from')
