"""KeysFirst: a page read as its sorted keys, then its rows, is the page the queryset gives."""

from __future__ import annotations

import pytest
from django.core.paginator import Paginator
from django.db import connection

from zhicheng.core.pagination import KeysFirst
from zhicheng.reference.models import Region

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("order", [("level", "name", "pk"), ("-code",), ("parent__name", "-pk")])
@pytest.mark.parametrize("size", [1, 7, 50])
def test_every_page_holds_the_same_rows_in_the_same_order(order, size):
    regions = Region.objects.select_related("parent").order_by(*order)
    assert regions.count() > 50  # the reference data's regions: several pages at every size
    plain, keyed = Paginator(regions, size), Paginator(KeysFirst(regions), size)
    assert (keyed.count, keyed.num_pages) == (plain.count, plain.num_pages)
    for number in plain.page_range:
        expected, got = list(plain.page(number)), list(keyed.page(number))
        assert [r.pk for r in got] == [r.pk for r in expected]
        assert [r.parent for r in got] == [r.parent for r in expected]


def test_rows_come_with_their_joins_and_an_index_reads_one_row(django_assert_num_queries):
    regions = Region.objects.select_related("parent").filter(parent__isnull=False).order_by("code")
    with django_assert_num_queries(2):  # the keys, then the rows with their parents
        page = KeysFirst(regions)[3:9]
        names = [r.parent.name for r in page]
    assert len(names) == 6
    assert KeysFirst(regions)[4] == page[1]


def test_a_row_that_leaves_between_the_two_reads_is_left_out():
    """A colleague approves an application while the page is being read: no server error."""
    regions = Region.objects.filter(parent__isnull=False).order_by("code")
    keys = list(regions.values_list("pk", flat=True)[:5])
    leaving = keys[2]
    reads: list[str] = []

    def approve_after_the_keys(execute, sql, params, many, context):
        reads.append(sql)
        if len(reads) == 2:  # the keys are read; the rows are next
            Region.objects.filter(pk=leaving).update(parent=None)  # no longer in the queryset
        return execute(sql, params, many, context)

    with connection.execute_wrapper(approve_after_the_keys):
        page = KeysFirst(regions)[0:5]

    assert [r.pk for r in page] == [k for k in keys if k != leaving]
