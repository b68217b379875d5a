"""The projection to 2,000,000 passes (bench/projection.py): pages and billed units of a read
ten times larger, from the bytes a measured read examined."""

from __future__ import annotations

from bench.meter import PAGE_BYTES, Call, Meter
from bench.projection import Partition, growth, project


def test_a_key_list_ten_times_larger_is_read_in_as_many_pages_as_megabytes() -> None:
    # Given a key list of 6,000 index items of 68 bytes (408,000 bytes) at 200,000 passes
    keys = Partition("6-month list, KH", 6000, 408_000)
    # Then at 2,000,000 passes it is 4.08 MB: five pages, one after another
    assert (keys.pages(), keys.pages(growth(200_000))) == (1, 4)
    assert keys.pages(growth(200_000)) == -(-4_080_000 // PAGE_BYTES)


def test_a_whole_read_is_billed_per_page_by_4_kb_halved() -> None:
    # 408,000 bytes: 100 units of 4 KB, halved (eventually consistent)
    assert Partition("", 6000, 408_000).read_units() == 50
    # 1 MB and 1 byte: a full page of 256 units and a page of 1 unit, halved
    assert Partition("", 0, PAGE_BYTES + 1).read_units() == (256 + 1) / 2


def _query(bytes_examined: int, thread: str) -> Call:
    call = Call("Query", ("Passes",), 1, started=0.0, ended=1.0, ok=True, thread=thread)
    call.read_of, call.bytes_examined = thread, bytes_examined
    return call


def test_a_request_projects_its_largest_parallel_read_into_further_round_trips() -> None:
    # Given a request that read two key lists in parallel (300 KB and 20 KB), then 10 rows by key
    meter = Meter(thread="MainThread")
    meter.records += [_query(300_000, "ThreadPoolExecutor-0_0"), _query(20_000, "ThreadPoolExecutor-0_1")]
    rows = Call("BatchGetItem", ("Passes",), 10, started=2.0, ended=3.0, ok=True, thread="MainThread")
    rows.read_units = 5.0
    meter.records.append(rows)
    assert meter.round_trips == 2
    # When the lists are ten times larger
    projected = project(meter, 10)
    # Then the 3 MB list takes 3 pages (two more round trips); the rows cost the same:
    # 3 MB = 2 pages of 256 units + 221 units, halved; 200 KB = 49 units, halved; 5 for the rows
    assert projected.round_trips == 4
    assert projected.read_units == (512 + 221) / 2 + 49 / 2 + 5
