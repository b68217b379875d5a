"""Server-side CSV export of a list route (SPEC §9 v1.1, "every list route": ``Accept: text/csv``).

UTF-8 with a byte-order mark (Excel then reads the zh-TW text as such), CRLF lines. A route
declares ``compress=True``: 50,000 rows can exceed Lambda's 6 MB response, gzip brings it under.
A cell a spreadsheet would run as a formula gets a leading apostrophe (OWASP "CSV injection");
a holder ID never goes into a file name (names are shared and logged), only 依身分證號.
"""

import csv
import io
import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from itertools import chain
from typing import Any
from urllib.parse import quote

from aws_lambda_powertools.event_handler import Response

from portpass.domain.errors import InvalidInput
from portpass.domain.paging import MAX_EXPORT_ROWS

HOLDER_ID_FILTERED = "依身分證號"

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# Characters a file name may not hold on common systems, and white space: one "-" each run.
_UNSAFE_IN_NAME = re.compile(r'[\\/:*?"<>|\s]+')


def wants_csv(headers: Mapping[str, Any] | None) -> bool:
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


def csv_text(headers: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, lineterminator="\r\n")
    for row in chain([headers], rows):
        texts = ("" if cell is None else str(cell) for cell in row)
        writer.writerow([f"'{text}" if text.startswith(_FORMULA_START) else text for text in texts])
    return out.getvalue()


def csv_response(
    filename_parts: Sequence[str | None],
    headers: Sequence[str],
    rows: Iterable[Sequence[object]],
    *,
    day: date,
) -> Response[str]:
    """Named ``<list>_<filter>..._<YYYY-MM-DD>.csv``: empty parts left out, unsafe characters as "-"."""
    parts = [_UNSAFE_IN_NAME.sub("-", part) for part in filename_parts if part]
    name = "_".join([*parts, day.isoformat()]) + ".csv"
    # An ASCII fallback name, and the UTF-8 one (RFC 5987 / RFC 6266).
    fallback = name.encode("ascii", "replace").decode("ascii").replace("?", "_").replace('"', "_")
    disposition = f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(name, safe='')}"
    return Response(
        status_code=200,
        content_type="text/csv; charset=utf-8",
        body=csv_text(headers, rows),
        headers={"Content-Disposition": disposition},
    )


def csv_ok_response(model: Any) -> dict[int, Any]:
    """The 200 entry of a list route: JSON ``model``, or the CSV export on ``Accept: text/csv``."""
    return {
        200: {
            "description": "OK; with Accept: text/csv the whole filtered list as CSV "
            f"(UTF-8 with BOM, at most {MAX_EXPORT_ROWS:,} rows, else 400 EXPORT_TOO_LARGE)",
            "content": {"application/json": {"model": model}, "text/csv": {"schema": {"type": "string"}}},
        }
    }
