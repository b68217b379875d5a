"""The digest e-mail (SPEC §11): counts first, soonest 預計停用日 first, at most 200 rows."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from portpass.domain.activity import ActivityKind, PassActivity
from portpass.domain.digest import MAX_ROWS, compose_digest

AT = datetime(2025, 2, 27, 18, 0, tzinfo=UTC)  # 2025-02-28 02:00 in Taipei
DAY = date(2025, 2, 28)


def change(kind: ActivityKind, serial: int, **extra) -> PassActivity:
    return PassActivity(
        kind=kind,
        day=DAY,
        at=AT,
        pass_no=f"KHPS112-{serial:06d}",
        org_id="ORG-A",
        port="KH",
        **{"holder_name": "王大明", **extra},
    )


def compose(changes):
    return compose_digest(
        label="ORG-A",
        ports=None,
        day=DAY,
        since=AT - timedelta(days=1),
        until=AT + timedelta(hours=6),
        changes=changes,
        web_url="https://portpass.example/",
    )


def test_nothing_to_tell_is_no_message():
    assert compose([]) is None


def test_counts_come_first_and_warnings_are_listed_soonest_suspension_first():
    message = compose(
        [
            change(ActivityKind.WARNED, 1, expected_suspension_on=date(2025, 4, 1)),
            change(ActivityKind.WARNED, 2, expected_suspension_on=date(2025, 3, 15)),
            change(ActivityKind.VOIDED, 3, void_reason="CANCELLATION_PENDING"),
        ]
    )
    assert message is not None
    text = message.text
    assert text.index("新增5個月未通行警示：2 筆") < text.index("KHPS112-000001")
    assert text.index("KHPS112-000002") < text.index("KHPS112-000001")
    assert "已提交註銷申請" in text
    assert "恢復申請作廢：1 筆" in text
    assert "https://portpass.example/" in message.html


def test_at_most_200_rows_are_listed_then_how_many_more():
    message = compose(
        [change(ActivityKind.SUSPENDED, n) for n in range(1, 251)]
        + [change(ActivityKind.ACTIVATED, n) for n in range(300, 310)]
    )
    assert message is not None
    listed = [line for line in message.text.splitlines() if line.startswith("KHPS112-")]
    assert len(listed) == MAX_ROWS
    assert "6個月未通行停用：250 筆" in message.text
    assert "停用恢復生效：10 筆" in message.text
    assert "另有 50 筆" in message.text
    assert "另有 10 筆" in message.text
    assert message.html.count("<tr><td>") == MAX_ROWS


def test_a_change_in_both_feeds_is_listed_once_and_names_are_escaped_in_html():
    row = change(ActivityKind.SUSPENDED, 1, holder_name="<b>王</b>")
    message = compose([row, row])
    assert message is not None
    assert message.text.count("KHPS112-000001") == 1
    assert "<b>王</b>" not in message.html
    assert "&lt;b&gt;王&lt;/b&gt;" in message.html
