"""Import archive: the ZIP of files sent with a CSV import of media

Revision ID: c3d4e5f6a7b8
Revises: a9b8c7d6e5f4
Create Date: 2026-12-06 05:00:00

`import_jobs.archive` (nullable bytes): the files a media import's rows name, kept until the
job is done. Safe while the previous release serves: an added nullable column it never reads.
"""

import sqlalchemy as sa
from alembic import op

revision = 'c3d4e5f6a7b8'
down_revision = 'a9b8c7d6e5f4'
branch_labels = None
depends_on = None


def upgrade():
    op.add_column('import_jobs', sa.Column('archive', sa.LargeBinary(), nullable=True))


def downgrade():
    op.drop_column('import_jobs', 'archive')
