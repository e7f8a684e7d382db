"""VAT by tax class and destination: products' tax class, companies' country, frozen rates

Revision ID: b5d2e8f41c73
Revises: 5b7e2d9c4a10
Create Date: 2026-12-04 20:40:00

Every line used to carry 20 %. Products get a tax class ('standard' for all existing ones: the
seller reclassifies food and the like), companies the country they are established in ('FR'),
order lines the rate they were taxed at (2000 basis points: what every existing order was
charged) and orders the scheme (domestic VAT for all existing ones).
"""
import sqlalchemy as sa
from alembic import op

revision = 'b5d2e8f41c73'
down_revision = '5b7e2d9c4a10'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('products', schema=None) as batch_op:
        batch_op.add_column(sa.Column('tax_class', sa.Enum(
            'standard', 'intermediate', 'reduced', 'super_reduced', 'exempt',
            name='tax_class', native_enum=False, create_constraint=False, length=24),
            server_default='standard', nullable=False))
    with op.batch_alter_table('companies', schema=None) as batch_op:
        batch_op.add_column(sa.Column('country', sa.String(length=2), server_default='FR',
                                      nullable=False))
    with op.batch_alter_table('order_lines', schema=None) as batch_op:
        batch_op.add_column(sa.Column('tax_rate_bp', sa.Integer(), server_default='2000',
                                      nullable=False))
    with op.batch_alter_table('orders', schema=None) as batch_op:
        batch_op.add_column(sa.Column('tax_scheme', sa.Enum(
            'domestic', 'reverse_charge', 'export',
            name='tax_scheme', native_enum=False, create_constraint=False, length=24),
            server_default='domestic', nullable=False))


def downgrade():
    with op.batch_alter_table('orders', schema=None) as batch_op:
        batch_op.drop_column('tax_scheme')
    with op.batch_alter_table('order_lines', schema=None) as batch_op:
        batch_op.drop_column('tax_rate_bp')
    with op.batch_alter_table('companies', schema=None) as batch_op:
        batch_op.drop_column('country')
    with op.batch_alter_table('products', schema=None) as batch_op:
        batch_op.drop_column('tax_class')
