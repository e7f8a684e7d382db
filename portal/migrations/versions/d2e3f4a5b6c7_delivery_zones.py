"""Delivery zones: farther parts of a warehouse's area, and the jobsites in them

Revision ID: d2e3f4a5b6c7
Revises: c3d4e5f6a7b8
Create Date: 2026-12-06 06:00:00

New table `delivery_zones` (warehouse, name, extra transit days, optional cut-off and
delivery weekdays); `units.zone_id` (nullable). Safe while the previous release serves: a new
table and an added nullable column, which the old release never reads.
"""

import sqlalchemy as sa
from alembic import op

revision = 'd2e3f4a5b6c7'
down_revision = 'c3d4e5f6a7b8'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'delivery_zones',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('warehouse_id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=80), nullable=False),
        sa.Column('transit_days', sa.Integer(), server_default='0', nullable=False),
        sa.Column('cutoff_minutes', sa.Integer(), nullable=True),
        sa.Column('delivery_days', sa.String(length=7), nullable=True),
        sa.CheckConstraint('transit_days >= 0 AND transit_days <= 30',
                           name=op.f('ck_delivery_zones_transit_in_range')),
        sa.CheckConstraint('cutoff_minutes IS NULL OR (cutoff_minutes >= 0 AND '
                           'cutoff_minutes < 1440)',
                           name=op.f('ck_delivery_zones_zone_cutoff_in_day')),
        sa.ForeignKeyConstraint(['warehouse_id'], ['warehouses.id'],
                                name=op.f('fk_delivery_zones_warehouse_id_warehouses'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_delivery_zones')),
    )
    op.create_index(op.f('ix_delivery_zones_warehouse_id'), 'delivery_zones',
                    ['warehouse_id'], unique=False)
    op.add_column('units', sa.Column('zone_id', sa.Integer(), nullable=True))
    if op.get_bind().dialect.name != 'sqlite':
        op.create_foreign_key(op.f('fk_units_zone_id_delivery_zones'), 'units',
                              'delivery_zones', ['zone_id'], ['id'], ondelete='SET NULL')


def downgrade():
    if op.get_bind().dialect.name != 'sqlite':
        op.drop_constraint(op.f('fk_units_zone_id_delivery_zones'), 'units',
                           type_='foreignkey')
    op.drop_column('units', 'zone_id')
    op.drop_index(op.f('ix_delivery_zones_warehouse_id'), table_name='delivery_zones')
    op.drop_table('delivery_zones')
