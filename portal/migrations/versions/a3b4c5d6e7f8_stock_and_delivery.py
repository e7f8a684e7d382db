"""Stock reservations, warehouse calendars and cut-offs, promised dates, substitutes

Revision ID: a3b4c5d6e7f8
Revises: f2a3b4c5d6e7
Create Date: 2026-12-05 13:20:00

Warehouses get a cut-off (`cutoff_minutes`, 14:00 by default), working days ("12345") and
whether French public holidays are closed (yes by default). Stock gets `reserved` (0 on every
existing row: nothing was reserved before). Companies and jobsites may name the warehouse that
serves them (`warehouse_id`, empty: the first warehouse, as before). Order lines get
`promised_date`. New tables `stock_reservations` (units held for an order line in one
warehouse) and `product_substitutes` (the seller's substitutes for a product). Only additions
with defaults: safe while the previous release serves (it ignores reservations; an order it
places reserves nothing, and is shipped within what is on hand).
"""
import sqlalchemy as sa
from alembic import op

revision = 'a3b4c5d6e7f8'
down_revision = 'f2a3b4c5d6e7'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('warehouses') as batch:
        batch.add_column(sa.Column('cutoff_minutes', sa.Integer(), server_default='840',
                                   nullable=False))
        batch.add_column(sa.Column('working_days', sa.String(length=7), server_default='12345',
                                   nullable=False))
        batch.add_column(sa.Column('holidays_closed', sa.Boolean(), server_default=sa.true(),
                                   nullable=False))
        batch.create_check_constraint('cutoff_in_day',
                                      'cutoff_minutes >= 0 AND cutoff_minutes < 1440')
    with op.batch_alter_table('stock') as batch:
        batch.add_column(sa.Column('reserved', sa.Integer(), server_default='0', nullable=False))
        batch.create_check_constraint('reserved_not_negative', 'reserved >= 0')
    with op.batch_alter_table('companies') as batch:
        batch.add_column(sa.Column('warehouse_id', sa.Integer(), nullable=True))
        batch.create_foreign_key('fk_companies_warehouse_id_warehouses', 'warehouses',
                                 ['warehouse_id'], ['id'])
    with op.batch_alter_table('units') as batch:
        batch.add_column(sa.Column('warehouse_id', sa.Integer(), nullable=True))
        batch.create_foreign_key('fk_units_warehouse_id_warehouses', 'warehouses',
                                 ['warehouse_id'], ['id'])
    with op.batch_alter_table('order_lines') as batch:
        batch.add_column(sa.Column('promised_date', sa.Date(), nullable=True))
    op.create_table(
        'stock_reservations',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('order_line_id', sa.Integer(), nullable=False),
        sa.Column('product_id', sa.Integer(), nullable=False),
        sa.Column('warehouse_id', sa.Integer(), nullable=False),
        sa.Column('quantity', sa.Integer(), nullable=False),
        sa.CheckConstraint('quantity > 0', name='ck_stock_reservations_quantity_positive'),
        sa.ForeignKeyConstraint(['order_line_id'], ['order_lines.id'], ondelete='CASCADE',
                                name='fk_stock_reservations_order_line_id_order_lines'),
        sa.ForeignKeyConstraint(['product_id'], ['products.id'],
                                name='fk_stock_reservations_product_id_products'),
        sa.ForeignKeyConstraint(['warehouse_id'], ['warehouses.id'],
                                name='fk_stock_reservations_warehouse_id_warehouses'),
        sa.PrimaryKeyConstraint('id', name='pk_stock_reservations'),
    )
    op.create_index('ix_stock_reservations_line', 'stock_reservations', ['order_line_id'])
    op.create_index('ix_stock_reservations_stock', 'stock_reservations',
                    ['product_id', 'warehouse_id'])
    op.create_table(
        'product_substitutes',
        sa.Column('product_id', sa.Integer(), nullable=False),
        sa.Column('substitute_id', sa.Integer(), nullable=False),
        sa.Column('position', sa.Integer(), nullable=False),
        sa.CheckConstraint('product_id <> substitute_id', name='ck_product_substitutes_not_itself'),
        sa.ForeignKeyConstraint(['product_id'], ['products.id'], ondelete='CASCADE',
                                name='fk_product_substitutes_product_id_products'),
        sa.ForeignKeyConstraint(['substitute_id'], ['products.id'], ondelete='CASCADE',
                                name='fk_product_substitutes_substitute_id_products'),
        sa.PrimaryKeyConstraint('product_id', 'substitute_id', name='pk_product_substitutes'),
    )
    op.create_index('ix_product_substitutes_substitute_id', 'product_substitutes',
                    ['substitute_id'])


def downgrade():
    op.drop_index('ix_product_substitutes_substitute_id', table_name='product_substitutes')
    op.drop_table('product_substitutes')
    op.drop_index('ix_stock_reservations_stock', table_name='stock_reservations')
    op.drop_index('ix_stock_reservations_line', table_name='stock_reservations')
    op.drop_table('stock_reservations')
    with op.batch_alter_table('order_lines') as batch:
        batch.drop_column('promised_date')
    with op.batch_alter_table('units') as batch:
        batch.drop_constraint('fk_units_warehouse_id_warehouses', type_='foreignkey')
        batch.drop_column('warehouse_id')
    with op.batch_alter_table('companies') as batch:
        batch.drop_constraint('fk_companies_warehouse_id_warehouses', type_='foreignkey')
        batch.drop_column('warehouse_id')
    with op.batch_alter_table('stock') as batch:
        batch.drop_constraint('ck_stock_reserved_not_negative', type_='check')
        batch.drop_column('reserved')
    with op.batch_alter_table('warehouses') as batch:
        batch.drop_constraint('ck_warehouses_cutoff_in_day', type_='check')
        batch.drop_column('holidays_closed')
        batch.drop_column('working_days')
        batch.drop_column('cutoff_minutes')
