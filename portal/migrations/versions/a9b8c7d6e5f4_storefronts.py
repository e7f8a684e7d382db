"""Storefronts: several portals on one data store, the trade portal first

Revision ID: a9b8c7d6e5f4
Revises: f8a1c2d3e4b5
Create Date: 2026-12-06 03:00:00

New table `storefronts` with the trade portal as row 1 (no host: it answers every host, as
before); `companies.storefront_id` and `orders.storefront_id` (1 for every existing row).
Safe while the previous release serves: a new table and added columns with a constant
default, which the old release never reads and whose inserts get the default.
"""

import sqlalchemy as sa
from alembic import op

revision = 'a9b8c7d6e5f4'
down_revision = 'f8a1c2d3e4b5'
branch_labels = None
depends_on = None


def upgrade():
    storefronts = op.create_table(
        'storefronts',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('code', sa.String(length=40), nullable=False),
        sa.Column('kind', sa.Enum('trade', 'consumer', 'employee', 'public',
                                  name='storefront_kind', native_enum=False,
                                  create_constraint=False, length=16), nullable=False),
        sa.Column('name', sa.String(length=80), nullable=False),
        sa.Column('hosts', sa.Text(), nullable=False, server_default=''),
        sa.Column('language', sa.String(length=5), nullable=False, server_default='fr'),
        sa.Column('country', sa.String(length=2), nullable=False, server_default='FR'),
        sa.Column('currency', sa.String(length=3), nullable=False, server_default='EUR'),
        sa.Column('prices_with_vat', sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column('brand_colour', sa.String(length=7), nullable=False,
                  server_default='#0b4f6c'),
        sa.Column('price_list_id', sa.Integer(), nullable=True),
        sa.Column('active', sa.Boolean(), nullable=False, server_default=sa.true()),
        sa.ForeignKeyConstraint(['price_list_id'], ['price_lists.id'],
                                name='fk_storefronts_price_list_id_price_lists'),
        sa.PrimaryKeyConstraint('id', name='pk_storefronts'),
        sa.UniqueConstraint('code', name='uq_storefronts_code'),
    )
    op.bulk_insert(storefronts, [{'id': 1, 'code': 'trade', 'kind': 'trade',
                                  'name': 'Pro Fournitures'}])
    if op.get_bind().dialect.name == 'postgresql':
        op.execute("SELECT setval('storefronts_id_seq', 1)")
    # Plain ADD COLUMN (no table copy on SQLite); the foreign key is enforced on PostgreSQL.
    for table in ('companies', 'orders'):
        op.add_column(table, sa.Column('storefront_id', sa.Integer(), nullable=False,
                                       server_default='1'))
        if op.get_bind().dialect.name != 'sqlite':
            op.create_foreign_key(f'fk_{table}_storefront_id_storefronts', table,
                                  'storefronts', ['storefront_id'], ['id'])
    op.create_index('ix_orders_storefront_placed', 'orders', ['storefront_id', 'placed_at'])


def downgrade():
    op.drop_index('ix_orders_storefront_placed', table_name='orders')
    for table in ('orders', 'companies'):
        if op.get_bind().dialect.name != 'sqlite':
            op.drop_constraint(f'fk_{table}_storefront_id_storefronts', table,
                               type_='foreignkey')
        with op.batch_alter_table(table) as batch_op:
            batch_op.drop_column('storefront_id')
    op.drop_table('storefronts')
