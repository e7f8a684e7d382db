"""Invoices, credit notes, billing contacts and payments

Revision ID: d9f2a3b4c5e6
Revises: c8e1f2a3b4d5
Create Date: 2026-12-05 08:30:00

New tables only (nothing existing changes, so it may run while the previous release serves):
billing_profiles (each company's billing contact and address, and a public-sector buyer's
Chorus Pro service code), invoice_counters (the last number per series and year, locked while
a number is taken), invoices (invoices and credit notes, written once), invoice_lines,
invoice_payments, invoice_reminders (one overdue reminder per invoice and step). Orders
shipped before this revision have no invoice.
"""
import sqlalchemy as sa
from alembic import op

revision = 'd9f2a3b4c5e6'
down_revision = 'c8e1f2a3b4d5'
branch_labels = None
depends_on = None



def _enum(name, *values):
    return sa.Enum(*values, name=name, native_enum=False, create_constraint=False, length=24)


def upgrade():
    op.create_table(
        'billing_profiles',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('company_id', sa.Integer(), nullable=False),
        sa.Column('contact_id', sa.Integer(), nullable=True),
        sa.Column('name', sa.String(length=160), nullable=False),
        sa.Column('line1', sa.String(length=200), nullable=False),
        sa.Column('line2', sa.String(length=200), nullable=False),
        sa.Column('postal_code', sa.String(length=20), nullable=False),
        sa.Column('city', sa.String(length=120), nullable=False),
        sa.Column('country', sa.String(length=2), nullable=False),
        sa.Column('public_sector', sa.Boolean(), nullable=False),
        sa.Column('service_code', sa.String(length=100), nullable=False),
        sa.ForeignKeyConstraint(['company_id'], ['companies.id']),
        sa.ForeignKeyConstraint(['contact_id'], ['users.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('company_id'),
    )
    op.create_table(
        'invoice_counters',
        sa.Column('series', sa.String(length=4), nullable=False),
        sa.Column('year', sa.Integer(), autoincrement=False, nullable=False),
        sa.Column('last', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('series', 'year'),
    )
    op.create_table(
        'invoices',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('number', sa.String(length=20), nullable=False),
        sa.Column('series', sa.String(length=4), nullable=False),
        sa.Column('year', sa.Integer(), nullable=False),
        sa.Column('sequence', sa.Integer(), nullable=False),
        sa.Column('kind', _enum('invoice_kind', 'invoice', 'credit_note'), nullable=False),
        sa.Column('company_id', sa.Integer(), nullable=False),
        sa.Column('order_id', sa.Integer(), nullable=False),
        sa.Column('shipment_id', sa.Integer(), nullable=True),
        sa.Column('credits_id', sa.Integer(), nullable=True),
        sa.Column('reason', sa.Text(), nullable=False),
        sa.Column('issued_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('issued_on', sa.Date(), nullable=False),
        sa.Column('due_on', sa.Date(), nullable=True),
        sa.Column('currency', sa.String(length=3), nullable=False),
        sa.Column('tax_scheme', _enum('tax_scheme', 'domestic', 'reverse_charge', 'export'),
                  nullable=False),
        sa.Column('subtotal_cents', sa.Integer(), nullable=False),
        sa.Column('tax_cents', sa.Integer(), nullable=False),
        sa.Column('total_cents', sa.Integer(), nullable=False),
        sa.Column('buyer_name', sa.String(length=160), nullable=False),
        sa.Column('buyer_address', sa.Text(), nullable=False),
        sa.Column('buyer_postal_code', sa.String(length=20), nullable=False),
        sa.Column('buyer_city', sa.String(length=120), nullable=False),
        sa.Column('buyer_country', sa.String(length=2), nullable=False),
        sa.Column('buyer_legal_id', sa.String(length=40), nullable=False),
        sa.Column('order_number', sa.String(length=20), nullable=False),
        sa.Column('po_number', sa.String(length=40), nullable=False),
        sa.Column('buyer_reference', sa.String(length=100), nullable=False),
        sa.Column('prepaid', sa.Boolean(), nullable=False),
        sa.CheckConstraint('total_cents >= 0', name='invoice_total_not_negative'),
        sa.ForeignKeyConstraint(['company_id'], ['companies.id']),
        sa.ForeignKeyConstraint(['credits_id'], ['invoices.id']),
        sa.ForeignKeyConstraint(['order_id'], ['orders.id']),
        sa.ForeignKeyConstraint(['shipment_id'], ['shipments.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('number'),
        sa.UniqueConstraint('series', 'year', 'sequence', name='uq_invoices_sequence'),
    )
    op.create_index('ix_invoices_company_issued', 'invoices', ['company_id', 'issued_on'])
    op.create_index('ix_invoices_credits_id', 'invoices', ['credits_id'])
    op.create_index('ix_invoices_order_id', 'invoices', ['order_id'])
    op.create_table(
        'invoice_lines',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('invoice_id', sa.Integer(), nullable=False),
        sa.Column('position', sa.Integer(), nullable=False),
        sa.Column('order_line_id', sa.Integer(), nullable=True),
        sa.Column('sku', sa.String(length=40), nullable=False),
        sa.Column('name', sa.String(length=200), nullable=False),
        sa.Column('quantity', sa.Integer(), nullable=False),
        sa.Column('unit_price_cents', sa.Integer(), nullable=False),
        sa.Column('line_total_cents', sa.Integer(), nullable=False),
        sa.Column('tax_rate_bp', sa.Integer(), nullable=False),
        sa.CheckConstraint('quantity > 0', name='invoice_quantity_positive'),
        sa.ForeignKeyConstraint(['invoice_id'], ['invoices.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['order_line_id'], ['order_lines.id']),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_invoice_lines_invoice_id', 'invoice_lines', ['invoice_id'])
    op.create_table(
        'invoice_payments',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('invoice_id', sa.Integer(), nullable=False),
        sa.Column('company_id', sa.Integer(), nullable=False),
        sa.Column('amount_cents', sa.Integer(), nullable=False),
        sa.Column('received_on', sa.Date(), nullable=False),
        sa.Column('reference', sa.String(length=80), nullable=False),
        sa.Column('recorded_by_id', sa.Integer(), nullable=True),
        sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint('amount_cents > 0', name='payment_positive'),
        sa.ForeignKeyConstraint(['company_id'], ['companies.id']),
        sa.ForeignKeyConstraint(['invoice_id'], ['invoices.id']),
        sa.ForeignKeyConstraint(['recorded_by_id'], ['users.id']),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_invoice_payments_company_id', 'invoice_payments', ['company_id'])
    op.create_index('ix_invoice_payments_invoice_id', 'invoice_payments', ['invoice_id'])
    op.create_table(
        'invoice_reminders',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('invoice_id', sa.Integer(), nullable=False),
        sa.Column('step', sa.Integer(), nullable=False),
        sa.Column('sent_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['invoice_id'], ['invoices.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('invoice_id', 'step', name='uq_invoice_reminder_step'),
    )


def downgrade():
    op.drop_table('invoice_reminders')
    op.drop_index('ix_invoice_payments_invoice_id', table_name='invoice_payments')
    op.drop_index('ix_invoice_payments_company_id', table_name='invoice_payments')
    op.drop_table('invoice_payments')
    op.drop_index('ix_invoice_lines_invoice_id', table_name='invoice_lines')
    op.drop_table('invoice_lines')
    op.drop_index('ix_invoices_order_id', table_name='invoices')
    op.drop_index('ix_invoices_credits_id', table_name='invoices')
    op.drop_index('ix_invoices_company_issued', table_name='invoices')
    op.drop_table('invoices')
    op.drop_table('invoice_counters')
    op.drop_table('billing_profiles')
