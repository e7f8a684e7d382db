"""Quotes: requests, versions, messages, and the order a quote became

Revision ID: e1a2b3c4d5f6
Revises: d9f2a3b4c5e6
Create Date: 2026-12-05 08:30:00

A quote (its buyer, the rep it went to, status, jobsite, needed-by date, note, validity),
its versions (0: the request; 1..: the seller's answers, each with validity and delivery
terms), their lines (target price, the customer's price when quoted, the quoted price, the
product a line replaces) and the thread of messages. Orders get the quote they accepted
(`quote_id`, unique: one quote makes one order at most). Nothing existing changes.
"""
import sqlalchemy as sa
from alembic import op

revision = 'e1a2b3c4d5f6'
down_revision = 'd9f2a3b4c5e6'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'quotes',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('number', sa.String(length=20), nullable=False),
        sa.Column('company_id', sa.Integer(), nullable=False),
        sa.Column('buyer_id', sa.Integer(), nullable=False),
        sa.Column('started_by_id', sa.Integer(), nullable=True),
        sa.Column('rep_id', sa.Integer(), nullable=True),
        sa.Column('status', sa.Enum('requested', 'sent', 'accepted', 'expired', 'cancelled',
                                    name='quote_status', native_enum=False,
                                    create_constraint=False, length=24), nullable=False),
        sa.Column('jobsite_id', sa.Integer(), nullable=True),
        sa.Column('needed_by', sa.Date(), nullable=True),
        sa.Column('note', sa.Text(), nullable=False),
        sa.Column('current_version', sa.Integer(), nullable=False),
        sa.Column('valid_until', sa.Date(), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('accepted_at', sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['buyer_id'], ['users.id'], name='fk_quotes_buyer_id_users'),
        sa.ForeignKeyConstraint(['company_id'], ['companies.id'],
                                name='fk_quotes_company_id_companies'),
        sa.ForeignKeyConstraint(['jobsite_id'], ['units.id'], name='fk_quotes_jobsite_id_units'),
        sa.ForeignKeyConstraint(['rep_id'], ['users.id'], name='fk_quotes_rep_id_users'),
        sa.ForeignKeyConstraint(['started_by_id'], ['users.id'],
                                name='fk_quotes_started_by_id_users'),
        sa.PrimaryKeyConstraint('id', name='pk_quotes'),
        sa.UniqueConstraint('number', name='uq_quotes_number'),
    )
    op.create_index('ix_quotes_buyer_id', 'quotes', ['buyer_id'])
    op.create_index('ix_quotes_rep_id', 'quotes', ['rep_id'])
    op.create_index('ix_quotes_company_status', 'quotes', ['company_id', 'status'])
    op.create_index('ix_quotes_status_updated', 'quotes', ['status', 'updated_at'])
    op.create_table(
        'quote_versions',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('quote_id', sa.Integer(), nullable=False),
        sa.Column('number', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('created_by_id', sa.Integer(), nullable=True),
        sa.Column('valid_until', sa.Date(), nullable=True),
        sa.Column('delivery_terms', sa.String(length=300), nullable=False),
        sa.Column('currency', sa.String(length=3), nullable=False),
        sa.ForeignKeyConstraint(['created_by_id'], ['users.id'],
                                name='fk_quote_versions_created_by_id_users'),
        sa.ForeignKeyConstraint(['quote_id'], ['quotes.id'], ondelete='CASCADE',
                                name='fk_quote_versions_quote_id_quotes'),
        sa.PrimaryKeyConstraint('id', name='pk_quote_versions'),
        sa.UniqueConstraint('quote_id', 'number', name='uq_quote_versions_quote_id'),
    )
    op.create_table(
        'quote_lines',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('version_id', sa.Integer(), nullable=False),
        sa.Column('position', sa.Integer(), nullable=False),
        sa.Column('product_id', sa.Integer(), nullable=False),
        sa.Column('quantity', sa.Integer(), nullable=False),
        sa.Column('target_price_cents', sa.Integer(), nullable=True),
        sa.Column('list_price_cents', sa.Integer(), nullable=True),
        sa.Column('unit_price_cents', sa.Integer(), nullable=True),
        sa.Column('discount_bp', sa.Integer(), nullable=True),
        sa.Column('replaces_id', sa.Integer(), nullable=True),
        sa.Column('note', sa.String(length=300), nullable=False),
        sa.CheckConstraint('quantity > 0', name='ck_quote_lines_quantity_positive'),
        sa.CheckConstraint('unit_price_cents IS NULL OR unit_price_cents > 0',
                           name='ck_quote_lines_price_positive'),
        sa.ForeignKeyConstraint(['product_id'], ['products.id'],
                                name='fk_quote_lines_product_id_products'),
        sa.ForeignKeyConstraint(['replaces_id'], ['products.id'],
                                name='fk_quote_lines_replaces_id_products'),
        sa.ForeignKeyConstraint(['version_id'], ['quote_versions.id'], ondelete='CASCADE',
                                name='fk_quote_lines_version_id_quote_versions'),
        sa.PrimaryKeyConstraint('id', name='pk_quote_lines'),
    )
    op.create_index('ix_quote_lines_version', 'quote_lines', ['version_id'])
    op.create_table(
        'quote_messages',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('quote_id', sa.Integer(), nullable=False),
        sa.Column('author_id', sa.Integer(), nullable=False),
        sa.Column('from_seller', sa.Boolean(), nullable=False),
        sa.Column('body', sa.Text(), nullable=False),
        sa.Column('at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['author_id'], ['users.id'],
                                name='fk_quote_messages_author_id_users'),
        sa.ForeignKeyConstraint(['quote_id'], ['quotes.id'], ondelete='CASCADE',
                                name='fk_quote_messages_quote_id_quotes'),
        sa.PrimaryKeyConstraint('id', name='pk_quote_messages'),
    )
    op.create_index('ix_quote_messages_quote_id', 'quote_messages', ['quote_id'])
    with op.batch_alter_table('orders', schema=None) as batch_op:
        batch_op.add_column(sa.Column('quote_id', sa.Integer(), nullable=True))
        batch_op.create_unique_constraint('uq_orders_quote_id', ['quote_id'])
        batch_op.create_foreign_key('fk_orders_quote_id_quotes', 'quotes', ['quote_id'], ['id'])


def downgrade():
    with op.batch_alter_table('orders', schema=None) as batch_op:
        batch_op.drop_constraint('fk_orders_quote_id_quotes', type_='foreignkey')
        batch_op.drop_constraint('uq_orders_quote_id', type_='unique')
        batch_op.drop_column('quote_id')
    op.drop_index('ix_quote_messages_quote_id', table_name='quote_messages')
    op.drop_table('quote_messages')
    op.drop_index('ix_quote_lines_version', table_name='quote_lines')
    op.drop_table('quote_lines')
    op.drop_table('quote_versions')
    op.drop_index('ix_quotes_status_updated', table_name='quotes')
    op.drop_index('ix_quotes_company_status', table_name='quotes')
    op.drop_index('ix_quotes_rep_id', table_name='quotes')
    op.drop_index('ix_quotes_buyer_id', table_name='quotes')
    op.drop_table('quotes')
