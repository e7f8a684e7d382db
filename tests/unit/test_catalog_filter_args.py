"""How attribute filters are read from a query string: leniently, bounded, one URL per choice."""

from werkzeug.datastructures import MultiDict

from portal.services.catalog.facets import MAX_ATTRIBUTES, MAX_VALUES, read_filters, without
from portal.services.catalog.search import SearchQuery


def test_repeated_values_of_one_attribute_are_kept_sorted_and_merged():
    args = MultiDict([("f.fire", "ei 60"), ("f.fire", "ei 30"), ("f.fire", "ei 60"),
                      ("f.edge", "droits"), ("q", "plaque")])
    assert read_filters(args) == (("edge", ("droits",)), ("fire", ("ei 30", "ei 60")))


def test_empty_names_values_and_control_characters_are_dropped():
    args = MultiDict([("f.", "x"), ("f.fire", ""), ("f.fire", "  "), ("f.fi\x00re", "ei\x0760"),
                      ("fire", "ei 60")])
    assert read_filters(args) == (("fi re", ("ei 60",)),)


def test_the_number_of_attributes_and_values_is_bounded():
    many = MultiDict([(f"f.a{i:02}", "v") for i in range(30)]
                     + [("f.a00", f"v{i}") for i in range(100)])
    found = read_filters(many)
    assert len(found) == MAX_ATTRIBUTES
    assert all(len(keys) <= MAX_VALUES for _code, keys in found)


def test_a_plain_dict_is_read_too_and_links_carry_the_filters():
    query = SearchQuery.from_args({"f.fire": "ei 60", "sort": "sku"})
    assert query.filters == (("fire", ("ei 60",)),)
    assert query.args(page=2) == {"sort": "sku", "page": 2, "f.fire": ["ei 60"]}
    assert query.args_without("fire", "ei 60") == {"sort": "sku"}


def test_removing_one_value_keeps_the_others():
    filters = (("edge", ("droits",)), ("fire", ("ei 30", "ei 60")))
    assert without(filters, "fire", "ei 30") == (("edge", ("droits",)), ("fire", ("ei 60",)))
    assert without(filters, "edge", "droits") == (("fire", ("ei 30", "ei 60")),)
    assert without(filters, "fire") == (("edge", ("droits",)),)
