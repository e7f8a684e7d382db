"""A storefront's path prefix and logo

Revision ID: e1f2a3b4c5d6
Revises: d8e9f0a1b2c3
Create Date: 2026-12-06 06:30:00

`storefronts.path_prefix` (text, "" by default): a seller with one domain gives a storefront
a path ("/direct") instead of a host name of its own. `storefronts.logo` (JSON, NULL): the
stored image (the storage's StoredImage, as product pictures keep theirs) shown in the
storefront's header. Safe while the previous release serves: added columns with a constant
default or NULL, which the old release never reads.
"""

import sqlalchemy as sa
from alembic import op

revision = 'e1f2a3b4c5d6'
down_revision = 'd8e9f0a1b2c3'
branch_labels = None
depends_on = None


def upgrade():
    op.add_column('storefronts', sa.Column('path_prefix', sa.String(40), server_default='',
                                           nullable=False))
    op.add_column('storefronts', sa.Column('logo', sa.JSON(), nullable=True))


def downgrade():
    with op.batch_alter_table('storefronts') as batch_op:
        batch_op.drop_column('logo')
        batch_op.drop_column('path_prefix')
