"""Proof of delivery on shipments, and the buyers' claims after a delivery

Revision ID: f8a1c2d3e4b5
Revises: e7f8a9b0c1d2
Create Date: 2026-12-08 10:00:00

`shipments.delivered_at`, `received_by`, `proof_key` (a private stored photo); `claims`
(short, damaged or wrong product on one order line, with its settlement: a replacement
shipment or a credit). Safe while the previous release serves: new nullable columns or
columns with a constant default, and a new table it never reads.
"""

import sqlalchemy as sa
from alembic import op

revision = 'f8a1c2d3e4b5'
down_revision = 'e7f8a9b0c1d2'
branch_labels = None
depends_on = None


def upgrade():
    # Plain ADD COLUMN: SQLite's batch mode would copy `shipments`, which other tables reference.
    op.add_column('shipments', sa.Column('delivered_at', sa.DateTime(timezone=True),
                                         nullable=True))
    op.add_column('shipments', sa.Column('received_by', sa.String(length=120), nullable=False,
                                         server_default=''))
    op.add_column('shipments', sa.Column('proof_key', sa.String(length=200), nullable=True))
    op.create_table(
        'claims',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('order_id', sa.Integer(), nullable=False),
        sa.Column('order_line_id', sa.Integer(), nullable=False),
        sa.Column('company_id', sa.Integer(), nullable=False),
        sa.Column('reason', sa.Enum('short', 'damaged', 'wrong_product', name='claim_reason',
                                    native_enum=False, create_constraint=False, length=24),
                  nullable=False),
        sa.Column('quantity', sa.Integer(), nullable=False),
        sa.Column('note', sa.Text(), nullable=False),
        sa.Column('photo_key', sa.String(length=200), nullable=True),
        sa.Column('status', sa.Enum('open', 'reshipped', 'credited', name='claim_status',
                                    native_enum=False, create_constraint=False, length=24),
                  nullable=False),
        sa.Column('reported_by_id', sa.Integer(), nullable=False),
        sa.Column('reported_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('resolved_by_id', sa.Integer(), nullable=True),
        sa.Column('resolved_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('shipment_id', sa.Integer(), nullable=True),
        sa.Column('credit_note_id', sa.Integer(), nullable=True),
        sa.Column('credit_cents', sa.Integer(), nullable=True),
        sa.CheckConstraint('quantity > 0', name='ck_claims_quantity_positive'),
        sa.ForeignKeyConstraint(['company_id'], ['companies.id'],
                                name='fk_claims_company_id_companies'),
        sa.ForeignKeyConstraint(['credit_note_id'], ['invoices.id'],
                                name='fk_claims_credit_note_id_invoices'),
        sa.ForeignKeyConstraint(['order_id'], ['orders.id'], ondelete='CASCADE',
                                name='fk_claims_order_id_orders'),
        sa.ForeignKeyConstraint(['order_line_id'], ['order_lines.id'], ondelete='CASCADE',
                                name='fk_claims_order_line_id_order_lines'),
        sa.ForeignKeyConstraint(['reported_by_id'], ['users.id'],
                                name='fk_claims_reported_by_id_users'),
        sa.ForeignKeyConstraint(['resolved_by_id'], ['users.id'],
                                name='fk_claims_resolved_by_id_users'),
        sa.ForeignKeyConstraint(['shipment_id'], ['shipments.id'],
                                name='fk_claims_shipment_id_shipments'),
        sa.PrimaryKeyConstraint('id', name='pk_claims'),
    )
    op.create_index('ix_claims_company_id', 'claims', ['company_id'])
    op.create_index('ix_claims_order', 'claims', ['order_id'])
    op.create_index('ix_claims_status_reported', 'claims', ['status', 'reported_at'])


def downgrade():
    op.drop_index('ix_claims_status_reported', table_name='claims')
    op.drop_index('ix_claims_order', table_name='claims')
    op.drop_index('ix_claims_company_id', table_name='claims')
    op.drop_table('claims')
    with op.batch_alter_table('shipments', schema=None) as batch_op:
        batch_op.drop_column('proof_key')
        batch_op.drop_column('received_by')
        batch_op.drop_column('delivered_at')
