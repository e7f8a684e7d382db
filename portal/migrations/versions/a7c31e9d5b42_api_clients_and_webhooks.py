"""api clients, idempotent answers, ERP order references, webhook subscriptions and deliveries

Revision ID: a7c31e9d5b42
Revises: b5d2e8f41c73
Create Date: 2026-12-04 20:40:00

Safe while the previous version serves: new tables, and an index on orders (updated_at, id)
for the API's order feed (CREATE INDEX holds writes to orders for a few seconds at 200,000
orders on PostgreSQL).
"""
import sqlalchemy as sa
from alembic import op


revision = 'a7c31e9d5b42'
down_revision = 'b5d2e8f41c73'
branch_labels = None
depends_on = None

WHEN = sa.DateTime(timezone=True)


def upgrade():
    op.create_table(
        'api_clients',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=80), nullable=False),
        sa.Column('company_id', sa.Integer(), nullable=True),
        sa.Column('scopes', sa.JSON(), nullable=False),
        sa.Column('token_hash', sa.String(length=64), nullable=False),
        sa.Column('token_hint', sa.String(length=16), nullable=False),
        sa.Column('created_at', WHEN, nullable=False),
        sa.Column('created_by_id', sa.Integer(), nullable=True),
        sa.Column('rotated_at', WHEN, nullable=True),
        sa.Column('revoked_at', WHEN, nullable=True),
        sa.Column('last_used_at', WHEN, nullable=True),
        sa.ForeignKeyConstraint(['company_id'], ['companies.id'],
                                name=op.f('fk_api_clients_company_id_companies')),
        sa.ForeignKeyConstraint(['created_by_id'], ['users.id'],
                                name=op.f('fk_api_clients_created_by_id_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_api_clients')),
        sa.UniqueConstraint('name', name=op.f('uq_api_clients_name')),
        sa.UniqueConstraint('token_hash', name=op.f('uq_api_clients_token_hash')),
    )
    op.create_index(op.f('ix_api_clients_company_id'), 'api_clients', ['company_id'])
    op.create_index('ix_orders_updated_at_id', 'orders', ['updated_at', 'id'])
    op.create_table(
        'api_idempotent_answers',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('client_id', sa.Integer(), nullable=False),
        sa.Column('key', sa.String(length=255), nullable=False),
        sa.Column('request_hash', sa.String(length=64), nullable=False),
        sa.Column('status_code', sa.Integer(), nullable=False),
        sa.Column('body', sa.LargeBinary(), nullable=False),
        sa.Column('created_at', WHEN, nullable=False),
        sa.ForeignKeyConstraint(['client_id'], ['api_clients.id'], ondelete='CASCADE',
                                name=op.f('fk_api_idempotent_answers_client_id_api_clients')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_api_idempotent_answers')),
        sa.UniqueConstraint('client_id', 'key', name='uq_api_idempotent_key'),
    )
    op.create_table(
        'order_references',
        sa.Column('order_id', sa.Integer(), nullable=False),
        sa.Column('erp_number', sa.String(length=40), nullable=False),
        sa.Column('updated_at', WHEN, nullable=False),
        sa.ForeignKeyConstraint(['order_id'], ['orders.id'], ondelete='CASCADE',
                                name=op.f('fk_order_references_order_id_orders')),
        sa.PrimaryKeyConstraint('order_id', name=op.f('pk_order_references')),
    )
    op.create_index(op.f('ix_order_references_erp_number'), 'order_references', ['erp_number'])
    op.create_table(
        'webhook_subscriptions',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('client_id', sa.Integer(), nullable=False),
        sa.Column('url', sa.String(length=500), nullable=False),
        sa.Column('events', sa.JSON(), nullable=False),
        sa.Column('secret', sa.String(length=120), nullable=False),
        sa.Column('created_at', WHEN, nullable=False),
        sa.Column('disabled_at', WHEN, nullable=True),
        sa.ForeignKeyConstraint(['client_id'], ['api_clients.id'], ondelete='CASCADE',
                                name=op.f('fk_webhook_subscriptions_client_id_api_clients')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_webhook_subscriptions')),
    )
    op.create_index(op.f('ix_webhook_subscriptions_client_id'), 'webhook_subscriptions',
                    ['client_id'])
    op.create_table(
        'webhook_deliveries',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('subscription_id', sa.Integer(), nullable=False),
        sa.Column('message_id', sa.String(length=40), nullable=False),
        sa.Column('event', sa.String(length=60), nullable=False),
        sa.Column('payload', sa.JSON(), nullable=False),
        sa.Column('state', sa.String(length=12), nullable=False),
        sa.Column('attempts', sa.Integer(), nullable=False),
        sa.Column('next_attempt_at', WHEN, nullable=False),
        sa.Column('last_status', sa.Integer(), nullable=True),
        sa.Column('last_error', sa.Text(), nullable=False),
        sa.Column('created_at', WHEN, nullable=False),
        sa.Column('sent_at', WHEN, nullable=True),
        sa.ForeignKeyConstraint(
            ['subscription_id'], ['webhook_subscriptions.id'], ondelete='CASCADE',
            name=op.f('fk_webhook_deliveries_subscription_id_webhook_subscriptions')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_webhook_deliveries')),
        sa.UniqueConstraint('message_id', name=op.f('uq_webhook_deliveries_message_id')),
    )
    op.create_index(op.f('ix_webhook_deliveries_subscription_id'), 'webhook_deliveries',
                    ['subscription_id'])
    op.create_index('ix_webhook_deliveries_due', 'webhook_deliveries',
                    ['state', 'next_attempt_at'])


def downgrade():
    op.drop_table('webhook_deliveries')
    op.drop_table('webhook_subscriptions')
    op.drop_table('order_references')
    op.drop_table('api_idempotent_answers')
    op.drop_table('api_clients')
    op.drop_index('ix_orders_updated_at_id', table_name='orders')
