"""The reference stamp

Revision ID: f1a2b3c4d5e6
Revises: e1f2a3b4c5d6
Create Date: 2026-12-06 21:50:00

`reference_stamp`: one row whose value the database changes, by triggers, on every write to
categories, customer groups, price lists and visibility rules. Each process keeps those in
memory and reads them again when the value changes (portal/models/stamps.py). Safe while the
previous release serves: a new table and triggers that only update it.
"""

import sqlalchemy as sa
from alembic import op

from portal.models.stamps import (
    REFERENCE_TABLES,
    function_statement,
    stamp_row_sql,
    trigger_statements,
)

revision = 'f1a2b3c4d5e6'
down_revision = 'e1f2a3b4c5d6'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('reference_stamp',
                    sa.Column('id', sa.Integer(), autoincrement=False, nullable=False),
                    sa.Column('value', sa.BigInteger(), nullable=False),
                    sa.PrimaryKeyConstraint('id', name=op.f('pk_reference_stamp')))
    op.execute(stamp_row_sql())
    dialect = op.get_bind().dialect.name
    if dialect == 'postgresql':
        op.execute(function_statement())
    for table in REFERENCE_TABLES:
        for statement in trigger_statements(dialect, table):
            op.execute(statement)


def downgrade():
    dialect = op.get_bind().dialect.name
    for table in REFERENCE_TABLES:
        if dialect == 'postgresql':
            op.execute(f'DROP TRIGGER IF EXISTS {table}_stamp ON {table}')
        else:
            for name in ('insert', 'update', 'delete'):
                op.execute(f'DROP TRIGGER IF EXISTS {table}_stamp_{name}')
    if dialect == 'postgresql':
        op.execute('DROP FUNCTION IF EXISTS bump_reference_stamp()')
    op.drop_table('reference_stamp')
