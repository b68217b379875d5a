"""Server-side CSV export of a list route (SPEC §9 v1.1, "every list route": ``Accept: text/csv``).

The whole filtered list as ONE UTF-8 CSV with a byte-order mark (Excel then reads the zh-TW
text as such) and CRLF lines, the screen's zh-TW column headers in the screen's order, and a
``Content-Disposition: attachment`` whose RFC 5987 ``filename*`` names the list, its filters
and the Taipei date of the export (the web client's former file names, web/csv.js).

How a list route uses it::

    if wants_csv(app.current_event.headers):
        check_export_size(total)            # before reading any row: 400 EXPORT_TOO_LARGE
        return csv_response(["恢復歷程查詢", "高雄港"], HEADERS, rows, day=taipei_date(at))

and declares its route with ``compress=True`` and ``responses=csv_ok_response(...)``: 50,000
rows can exceed Lambda's 6 MB response, gzip (when the client sends ``Accept-Encoding: gzip``)
brings it well under.

A cell a spreadsheet would run as a formula (first character ``= + - @``, TAB or CR) gets a
leading apostrophe (OWASP "CSV injection"); a holder ID never goes into a file name (names
are shared and logged), only the words 依身分證號.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import Any
from urllib.parse import quote

from aws_lambda_powertools.event_handler import Response

from portpass.domain.errors import InvalidInput
from portpass.domain.paging import MAX_EXPORT_ROWS

CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
BOM = "\ufeff"
HOLDER_ID_FILTERED = "依身分證號"

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# Characters a file name may not hold on common systems, and white space: one "-" each run.
_UNSAFE_IN_NAME = re.compile(r'[\\/:*?"<>|\s]+')


def wants_csv(headers: Mapping[str, Any] | None) -> bool:
    """Content negotiation: ``Accept`` naming ``text/csv`` gets the export, anything else JSON."""
    for name, value in (headers or {}).items():
        if name.lower() == "accept" and isinstance(value, str):
            return any(part.split(";")[0].strip().lower() == "text/csv" for part in value.split(","))
    return False


def check_export_size(total: int) -> None:
    """400 ``EXPORT_TOO_LARGE`` past :data:`MAX_EXPORT_ROWS`: decided from the counters."""
    if total > MAX_EXPORT_ROWS:
        raise InvalidInput(
            "EXPORT_TOO_LARGE",
            [{"location": "query", "field": None, "type": "too_many_rows", "limit": MAX_EXPORT_ROWS}],
        )


def neutralized(value: object) -> str:
    """A cell's text; one a spreadsheet would run as a formula gets a leading apostrophe."""
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(_FORMULA_START) else text


def csv_text(headers: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    """The file's text: BOM, the header line, one CRLF line per row, every cell neutralized."""
    out = io.StringIO()
    out.write(BOM)
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([neutralized(header) for header in headers])
    for row in rows:
        writer.writerow([neutralized(cell) for cell in row])
    return out.getvalue()


def file_name(filename_parts: Sequence[str | None], day: date) -> str:
    """``<list>_<filter>..._<YYYY-MM-DD>.csv``: empty parts left out, unsafe characters as "-"."""
    parts = [_UNSAFE_IN_NAME.sub("-", part) for part in filename_parts if part]
    return "_".join([*parts, day.isoformat()]) + ".csv"


def content_disposition(name: str) -> str:
    """``attachment`` with an ASCII fallback name and the UTF-8 one (RFC 5987 / RFC 6266)."""
    fallback = name.encode("ascii", "replace").decode("ascii").replace("?", "_").replace('"', "_")
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(name, safe='')}"


def csv_response(
    filename_parts: Sequence[str | None],
    headers: Sequence[str],
    rows: Iterable[Sequence[object]],
    *,
    day: date,
) -> Response[str]:
    """The export's answer: 200, ``text/csv; charset=utf-8``, attachment named by
    :func:`file_name`. ``rows`` are the cells as the screen shows them, in the screen's order."""
    return Response(
        status_code=200,
        content_type=CSV_CONTENT_TYPE,
        body=csv_text(headers, rows),
        headers={"Content-Disposition": content_disposition(file_name(filename_parts, day))},
    )


def csv_ok_response(model: Any, description: str = "OK") -> dict[int, Any]:
    """The 200 entry of a list route: JSON ``model``, or the CSV export on ``Accept: text/csv``."""
    return {
        200: {
            "description": f"{description}; with Accept: text/csv the whole filtered list as CSV "
            f"(UTF-8 with BOM, at most {MAX_EXPORT_ROWS:,} rows, else 400 EXPORT_TOO_LARGE)",
            "content": {
                "application/json": {"model": model},
                "text/csv": {"schema": {"type": "string"}},
            },
        }
    }
