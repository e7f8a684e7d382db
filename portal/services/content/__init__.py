"""Product content and the seller's pages.

- `media`: a product's pictures, PDF documents (by kind and language), video links and
  attribute table, read for the product page (`for_product`, `thumbnails`) and changed by
  staff (`add_image`, `remove_image`, `move_image`, `add_document`, `remove_document`,
  `add_video`, `remove_video`);
  the files go through `services.storage`.
- `attributes`: a category's attributes (`add_attribute`) and a product's values of them
  (`attributes_of`, `set_values`), as staff set them; `value_key` is what a catalog filter
  matches; the CSV import of attributes uses the same rules (`code_problem`, `value_problem`,
  `create_attribute`, `write_value`).
- `attribute_admin`: a category's attributes as staff manage them (`category_attributes`
  with product counts, `rename_attribute`, `move_attribute`, `delete_attribute`).
- `pages`: the seller's pages (`save_page`, `page`, `published_pages`); publishing `terms`
  freezes a TermsVersion (`current_terms`), which checkout records on each order.
- `markdown`: the safe subset pages are written in (`render`: raw HTML shown as text, links
  to http or https, mailto and the portal only).
"""

from portal.services.content.attribute_admin import (
    categories_with_attributes,
    category_attributes,
    delete_attribute,
    find_attribute,
    find_category,
    move_attribute,
    products_with_value,
    rename_attribute,
)
from portal.services.content.attributes import (
    MAX_NAME,
    AttributesInvalid,
    AttributeValue,
    add_attribute,
    attributes_of,
    category_path,
    code_problem,
    create_attribute,
    set_values,
    value_key,
    value_problem,
    write_value,
)
from portal.services.content.markdown import render as render_markdown
from portal.services.content.media import (
    LANGUAGES,
    add_document,
    add_image,
    add_video,
    check_video_url,
    documents_of,
    for_product,
    images_of,
    move_image,
    remove_document,
    remove_image,
    remove_video,
    thumbnails,
    videos_of,
)
from portal.services.content.pages import (
    TERMS,
    PageInvalid,
    all_pages,
    current_terms,
    page,
    page_by_id,
    published_pages,
    save_page,
    terms_version,
)

__all__ = ["MAX_NAME", "AttributesInvalid", "AttributeValue", "add_attribute", "attributes_of",
           "category_path", "code_problem", "create_attribute", "set_values", "value_key",
           "value_problem", "write_value", "categories_with_attributes", "category_attributes",
           "delete_attribute", "find_attribute", "find_category", "move_attribute",
           "products_with_value", "rename_attribute",
           "LANGUAGES", "add_document", "add_image", "add_video", "check_video_url",
           "remove_video", "videos_of", "documents_of", "for_product", "images_of",
           "move_image", "remove_document", "remove_image", "thumbnails", "render_markdown",
           "TERMS", "PageInvalid", "all_pages", "current_terms", "page", "page_by_id",
           "published_pages", "save_page", "terms_version"]
