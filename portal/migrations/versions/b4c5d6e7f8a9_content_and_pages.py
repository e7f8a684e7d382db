"""Product media, documents and attributes; the seller's pages; terms of sale accepted by orders

Revision ID: b4c5d6e7f8a9
Revises: a3b4c5d6e7f8
Create Date: 2026-12-05 13:20:00

New tables: `product_images` (a product's pictures in order, each the storage's widths and
formats as JSON, alternative text per language), `product_documents` (PDFs typed by kind, per
language, by storage key), `product_videos` (links), `attributes` (searchable attributes of a
category) and `product_attributes` (a product's values, with the key a filter matches),
`seller_pages` (the seller's own pages, per language, draft or published) and
`terms_versions` (each publication of the terms of sale, frozen). Orders get
`terms_version_id` (nullable: the terms the buyer accepted; empty on every existing order).
The files themselves live in the storage (a folder or a bucket), not in the database.
Only additions: safe while the previous release serves.
"""
import sqlalchemy as sa
from alembic import op

revision = 'b4c5d6e7f8a9'
down_revision = 'a3b4c5d6e7f8'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('seller_pages',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=60), nullable=False),
    sa.Column('title_fr', sa.String(length=200), nullable=False),
    sa.Column('title_en', sa.String(length=200), nullable=False),
    sa.Column('body_fr', sa.Text(), nullable=False),
    sa.Column('body_en', sa.Text(), nullable=False),
    sa.Column('published', sa.Boolean(), nullable=False),
    sa.Column('footer_position', sa.Integer(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_seller_pages')),
    sa.UniqueConstraint('slug', name=op.f('uq_seller_pages_slug'))
    )
    op.create_table('attributes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('category_id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('name_fr', sa.String(length=120), nullable=False),
    sa.Column('name_en', sa.String(length=120), nullable=False),
    sa.Column('filterable', sa.Boolean(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['category_id'], ['categories.id'], name=op.f('fk_attributes_category_id_categories')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_attributes')),
    sa.UniqueConstraint('category_id', 'code', name='uq_attributes_category_code')
    )
    with op.batch_alter_table('attributes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_attributes_category_id'), ['category_id'], unique=False)

    op.create_table('product_attributes',
    sa.Column('product_id', sa.Integer(), nullable=False),
    sa.Column('attribute_id', sa.Integer(), nullable=False),
    sa.Column('value_fr', sa.String(length=200), nullable=False),
    sa.Column('value_en', sa.String(length=200), nullable=False),
    sa.Column('value_key', sa.String(length=200), nullable=False),
    sa.ForeignKeyConstraint(['attribute_id'], ['attributes.id'], name=op.f('fk_product_attributes_attribute_id_attributes')),
    sa.ForeignKeyConstraint(['product_id'], ['products.id'], name=op.f('fk_product_attributes_product_id_products'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('product_id', 'attribute_id', name=op.f('pk_product_attributes'))
    )
    with op.batch_alter_table('product_attributes', schema=None) as batch_op:
        batch_op.create_index('ix_product_attributes_filter', ['attribute_id', 'value_key'], unique=False)

    op.create_table('product_documents',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('product_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('datasheet', 'safety_sheet', 'performance', 'certificate', 'installation', name='document_kind', native_enum=False, length=24), nullable=False),
    sa.Column('language', sa.String(length=2), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('key', sa.String(length=200), nullable=False),
    sa.Column('size_bytes', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['product_id'], ['products.id'], name=op.f('fk_product_documents_product_id_products'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_product_documents'))
    )
    with op.batch_alter_table('product_documents', schema=None) as batch_op:
        batch_op.create_index('ix_product_documents_product', ['product_id', 'position'], unique=False)

    op.create_table('product_images',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('product_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('image', sa.JSON(), nullable=False),
    sa.Column('alt_fr', sa.String(length=200), nullable=False),
    sa.Column('alt_en', sa.String(length=200), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['product_id'], ['products.id'], name=op.f('fk_product_images_product_id_products'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_product_images'))
    )
    with op.batch_alter_table('product_images', schema=None) as batch_op:
        batch_op.create_index('ix_product_images_product', ['product_id', 'position'], unique=False)

    op.create_table('product_videos',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('product_id', sa.Integer(), nullable=False),
    sa.Column('url', sa.String(length=500), nullable=False),
    sa.Column('title_fr', sa.String(length=200), nullable=False),
    sa.Column('title_en', sa.String(length=200), nullable=False),
    sa.ForeignKeyConstraint(['product_id'], ['products.id'], name=op.f('fk_product_videos_product_id_products'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_product_videos'))
    )
    with op.batch_alter_table('product_videos', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_product_videos_product_id'), ['product_id'], unique=False)

    op.create_table('terms_versions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('title_fr', sa.String(length=200), nullable=False),
    sa.Column('title_en', sa.String(length=200), nullable=False),
    sa.Column('body_fr', sa.Text(), nullable=False),
    sa.Column('body_en', sa.Text(), nullable=False),
    sa.Column('published_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('published_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['published_by_id'], ['users.id'], name=op.f('fk_terms_versions_published_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_terms_versions')),
    sa.UniqueConstraint('number', name=op.f('uq_terms_versions_number'))
    )
    with op.batch_alter_table('orders', schema=None) as batch_op:
        batch_op.add_column(sa.Column('terms_version_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_orders_terms_version_id_terms_versions'), 'terms_versions', ['terms_version_id'], ['id'])



def downgrade():
    with op.batch_alter_table('orders', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_orders_terms_version_id_terms_versions'), type_='foreignkey')
        batch_op.drop_column('terms_version_id')

    op.drop_table('terms_versions')
    with op.batch_alter_table('product_videos', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_product_videos_product_id'))

    op.drop_table('product_videos')
    with op.batch_alter_table('product_images', schema=None) as batch_op:
        batch_op.drop_index('ix_product_images_product')

    op.drop_table('product_images')
    with op.batch_alter_table('product_documents', schema=None) as batch_op:
        batch_op.drop_index('ix_product_documents_product')

    op.drop_table('product_documents')
    with op.batch_alter_table('product_attributes', schema=None) as batch_op:
        batch_op.drop_index('ix_product_attributes_filter')

    op.drop_table('product_attributes')
    with op.batch_alter_table('attributes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_attributes_category_id'))

    op.drop_table('attributes')
    op.drop_table('seller_pages')
