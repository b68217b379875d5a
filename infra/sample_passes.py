"""A sample go-live import file: existing passes as JSON Lines (or CSV), some lines broken.

    python -m infra.sample_passes --count 100000 --errors 5 > passes.jsonl
    python -m infra.sample_passes --count 1000 --format csv > passes.csv

Every pass is valid for the service (pass numbers, checked Taiwan IDs, the seven ports);
``--errors`` lines are broken on purpose, each in another way, and listed on stderr with
their line numbers so the report can be checked against them. Deterministic (``--seed``).
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import random
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "layers" / "common"))

from portpass.domain.calendar import storage_instant
from portpass.domain.identity import has_valid_taiwan_check_digit

FIELDS = (
    "passNo",
    "holderId",
    "holderName",
    "orgId",
    "orgName",
    "port",
    "passType",
    "validFrom",
    "validTo",
    "status",
    "version",
    "lastPassageAt",
)
OFFICES = {"KL": "KLPS", "TP": "TPPS", "SA": "SAPS", "TX": "TXPS", "KH": "KHPS", "AP": "APPS", "HL": "HLPS"}
SURNAMES = "陳林黃張李王吳劉蔡楊許鄭謝郭洪曾邱廖賴周"
GIVEN = "志明雅婷家豪怡君冠宇淑芬俊傑美玲建宏佩珊宗翰欣怡"
# Each planted error breaks a line in its own way; the report must name the field.
BREAKAGES = ("port", "holderId", "validTo", "json", "passNo", "version", "status")


@dataclass(frozen=True)
class SampleFile:
    lines: list[str]  # without line endings; a CSV file's first line is its header
    error_lines: dict[int, str]  # 1-based line number -> what was broken
    passes: int  # valid pass lines


def taiwan_id(rng: random.Random) -> str:
    while True:
        letter = rng.choice("ABCDEFGHJKLMNPQRSTUVXYWZIO")
        body = f"{letter}{rng.choice('12')}{rng.randrange(10**7):07d}"
        for check in range(10):
            if has_valid_taiwan_check_digit(f"{body}{check}"):
                return f"{body}{check}"


def _passes(count: int, now: datetime, rng: random.Random) -> Iterator[dict[str, object]]:
    today = now.date()
    for serial in range(1, count + 1):
        port = rng.choice(sorted(OFFICES))
        org = rng.randrange(1, 61)
        valid_from = today - timedelta(days=rng.randrange(30, 1100))
        valid_to = valid_from + timedelta(days=rng.choice((365, 730, 1095)))
        status = "EXPIRED" if valid_to < today else rng.choices(["ACTIVE", "CANCELLED"], [97, 3])[0]
        row: dict[str, object] = {
            "passNo": f"{OFFICES[port]}{112 + serial % 3}-{serial:06d}",
            "holderId": taiwan_id(rng),
            "holderName": rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN),
            "orgId": f"ORG-{org:03d}",
            "orgName": f"港務承攬第{org}公司",
            "port": port,
            "passType": rng.choices(["REGULAR", "TEMPORARY", "SINGLE_VISIT"], [85, 12, 3])[0],
            "validFrom": valid_from.isoformat(),
            "validTo": valid_to.isoformat(),
            "status": status,
            "version": rng.randrange(1, 4),
        }
        if rng.random() < 0.9:
            seconds = rng.randrange(0, max(1, int((now - _midnight(valid_from)).total_seconds())))
            passed = min(now, _midnight(valid_from) + timedelta(seconds=seconds))
            row["lastPassageAt"] = storage_instant(passed)
        yield row


def _midnight(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=UTC)


def _break(row: dict[str, object], how: str) -> dict[str, object] | str:
    broken = dict(row)
    if how == "port":
        broken["port"] = "XX"
    elif how == "holderId":
        del broken["holderId"]
    elif how == "validTo":
        broken["validTo"] = "2000-01-01"
    elif how == "json":
        return "{not json"
    elif how == "passNo":
        broken["passNo"] = "12345"
    elif how == "version":
        broken["version"] = -1
    else:
        broken["status"] = "SUSPENDED_INACTIVE"
    return broken


def sample_file(
    count: int, errors: int = 0, *, now: datetime, seed: int = 7, file_format: str = "jsonl"
) -> SampleFile:
    """``count`` pass lines, ``errors`` of them broken (spread over the file)."""
    rng = random.Random(seed)  # noqa: S311 - sample data, not a secret
    rows: list[dict[str, object] | str] = list(_passes(count, now, rng))
    header = 1 if file_format == "csv" else 0
    error_lines: dict[int, str] = {}
    for index in range(errors):
        position = (index + 1) * count // (errors + 1)
        how = BREAKAGES[index % len(BREAKAGES)]
        if file_format == "csv" and how == "json":
            how = "port"
        original = rows[position]
        assert isinstance(original, dict)
        rows[position] = _break(original, how)
        error_lines[position + 1 + header] = how
    lines = [_csv_line(list(FIELDS))] if file_format == "csv" else []
    for row in rows:
        if isinstance(row, str):
            lines.append(row)
        elif file_format == "csv":
            lines.append(_csv_line([str(row.get(name, "")) for name in FIELDS]))
        else:
            lines.append(json.dumps(row, ensure_ascii=False))
    return SampleFile(lines=lines, error_lines=error_lines, passes=count - errors)


def _csv_line(cells: list[str]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="").writerow(cells)
    return buffer.getvalue()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m infra.sample_passes", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--errors", type=int, default=0)
    parser.add_argument("--format", choices=("jsonl", "csv"), default="jsonl")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--now", default=None, help="ISO instant the passages precede (default: now)")
    args = parser.parse_args(argv)
    now = datetime.fromisoformat(args.now.replace("Z", "+00:00")) if args.now else datetime.now(UTC)
    sample = sample_file(args.count, args.errors, now=now, seed=args.seed, file_format=args.format)
    out = sys.stdout
    for line in sample.lines:
        out.write(line + "\n")
    for number, how in sorted(sample.error_lines.items()):
        print(f"planted error: line {number} ({how})", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
