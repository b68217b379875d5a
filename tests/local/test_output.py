"""The local runtime's output keeps each printed line whole when threads print at once."""

from __future__ import annotations

import io
import threading

from infra.local.output import WholeLines


def test_lines_printed_by_many_threads_at_once_reach_the_output_whole() -> None:
    # Given one output shared by stdout and stderr, as the runtime's pipe is
    target = io.StringIO()
    lock = threading.Lock()
    stdout, stderr = WholeLines(target, lock), WholeLines(target, lock)
    start = threading.Barrier(8)

    def speak(n: int) -> None:
        start.wait()
        for i in range(200):
            print(f'{{"metric": {n}, "i": {i}}}', file=stdout)  # print: the text, then "\n"
            print(f"[local] GET /inactive-passes -> 200 ({n}, {i})", file=stderr)

    # When eight threads print 400 lines each at the same moment
    threads = [threading.Thread(target=speak, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # Then every line is one of the lines printed, none spliced into another
    lines = target.getvalue().splitlines()
    assert len(lines) == 8 * 400
    assert all(line.startswith(('{"metric": ', "[local] GET ")) for line in lines)
    assert all(line.count("{") <= 1 and line.count("[local]") <= 1 for line in lines)


def test_a_line_without_its_newline_is_written_when_flushed() -> None:
    target = io.StringIO()
    out = WholeLines(target, threading.Lock())
    out.write("stopping")
    assert target.getvalue() == ""
    out.flush()
    assert target.getvalue() == "stopping"
