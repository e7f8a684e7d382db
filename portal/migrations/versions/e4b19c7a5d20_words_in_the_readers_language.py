"""words in the reader's language: event codes, reason data, English line names, pack kinds

Revision ID: e4b19c7a5d20
Revises: 8d3f0a6c2b19
Create Date: 2026-12-04 17:00:00

Timeline entries and approval reasons were stored as text in the company's language, and
order lines kept only the French product name, so an English reader saw French. New rows
store what happened (a code and its parameters) and both names. Existing rows keep their
text: with no code, it is shown as written. Their lines get the English name the product
has now (the closest we have to the name at order time).
"""
import sqlalchemy as sa
from alembic import op

revision = 'e4b19c7a5d20'
down_revision = '8d3f0a6c2b19'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('order_events', schema=None) as batch_op:
        batch_op.add_column(sa.Column('code', sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column('params', sa.JSON(), nullable=True))
    with op.batch_alter_table('approval_requests', schema=None) as batch_op:
        batch_op.add_column(sa.Column('reason_data', sa.JSON(), nullable=True))
    with op.batch_alter_table('order_lines', schema=None) as batch_op:
        batch_op.add_column(sa.Column('name_en', sa.String(length=200), nullable=True))
    with op.batch_alter_table('products', schema=None) as batch_op:
        batch_op.add_column(sa.Column('pack_kind', sa.String(length=12), server_default='case',
                                      nullable=False))
    op.execute("UPDATE order_lines SET name_en = (SELECT products.name_en FROM products "
               "WHERE products.id = order_lines.product_id)")


def downgrade():
    with op.batch_alter_table('products', schema=None) as batch_op:
        batch_op.drop_column('pack_kind')
    with op.batch_alter_table('order_lines', schema=None) as batch_op:
        batch_op.drop_column('name_en')
    with op.batch_alter_table('approval_requests', schema=None) as batch_op:
        batch_op.drop_column('reason_data')
    with op.batch_alter_table('order_events', schema=None) as batch_op:
        batch_op.drop_column('params')
        batch_op.drop_column('code')
