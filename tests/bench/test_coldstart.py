"""The cold-start bench's verdict, breakdown and report section (bench/coldstart.py), on
figures given to it: the timed runs themselves are `python -m bench.coldstart`'s."""

from __future__ import annotations

from pathlib import Path

from bench.coldstart import (
    MINIMAL,
    SECTION,
    ColdRun,
    ColdStart,
    Sample,
    checks,
    importtime_summary,
    markdown,
    target_rows,
    write_section,
)


def _sample(seconds: float) -> Sample:
    return Sample(imported=seconds / 2, answered=seconds, warm=0.01, status="200", sessions=1)


def _run(minimal: list[float], function: list[float]) -> ColdRun:
    base = ColdStart(MINIMAL, samples=[_sample(s) for s in minimal], ratios=[1.0] * len(minimal))
    api = ColdStart(
        "admin",
        samples=[_sample(s) for s in function],
        ratios=[f / m for f, m in zip(function, minimal, strict=True)],
    )
    return ColdRun(rounds=len(minimal), results=[base, api])


def test_the_verdict_is_the_median_of_ratios_paired_by_round() -> None:
    # Given a busy round slowing both sides alike, and two quiet rounds at 1.4x
    run = _run(minimal=[1.0, 3.0, 1.0], function=[1.4, 4.2, 1.4])
    # When it is judged
    [cold, sessions] = checks(run)
    # Then the paired ratio holds (1.4x), where comparing medians of each side would too,
    # and the figure shows the spread
    assert cold[1:3] == ("admin", True)
    assert "1.40x (spread 1.40-1.40x over 3 rounds)" in cold[3]
    assert sessions[2] is True


def test_a_function_above_the_limit_is_missed_with_by_how_much() -> None:
    run = _run(minimal=[1.0] * 7, function=[1.8] * 7)
    [cold, _] = checks(run)
    assert cold[2] is False
    assert "MISSED by 20%" in markdown(run)
    assert "admin**: 1.80x, 20% over 1.5x" in markdown(run)


def test_importtime_takes_each_modules_median_and_names_validations_share() -> None:
    header = "import time: self [us] | cumulative | imported package"
    runs = [
        f"{header}\nimport time:      1000 |       1000 |   botocore\n"
        f"import time:       {own} |        {own} |   pydantic.fields\n"
        "import time:       500 |        500 | cProfile\n"
        for own in (2000, 4000, 3000)
    ]
    by_package, total, slowest, validation = importtime_summary(runs)
    assert by_package == [("pydantic", 3.0), ("botocore", 1.0)]  # medians, the profiler left out
    assert total == 4.0
    assert validation == 3.0
    assert slowest[0] == ("pydantic.fields", 3.0, 3.0)


def test_the_section_is_replaced_and_every_other_section_kept(tmp_path: Path) -> None:
    document = tmp_path / "benchmarks.md"
    document.write_text(
        f"# Benchmarks\n\n## Pages\n\nkept\n\n{SECTION} (old)\n\nold figures\n\n## Later\n\nkept too\n",
        encoding="utf-8",
    )
    write_section(f"{SECTION} (new)\n\nnew figures\n", document)
    text = document.read_text(encoding="utf-8")
    assert "old figures" not in text
    assert text.index("## Pages") < text.index("new figures") < text.index("## Later")
    assert "\nkept\n" in text
    assert "kept too\n" in text


def test_the_targets_table_gets_this_runs_cold_start_rows_and_keeps_the_others(tmp_path: Path) -> None:
    document = tmp_path / "benchmarks.md"
    document.write_text(
        "## Targets\n\n| verdict | target | subject | figure |\n|---|---|---|---|\n"
        "| MET | every page: items read | company | 10 |\n"
        "| MET | cold start (import + first request) <= 1.5x the minimal boto3 handler | admin | 1.03x |\n"
        "| MET | one botocore session per process | admin | [1] |\n"
        "| MET | export per row | company | 1.1 |\n",
        encoding="utf-8",
    )
    run = _run(minimal=[1.0] * 7, function=[1.8] * 7)
    write_section(markdown(run), document, targets=target_rows(run))
    rows = [line for line in document.read_text(encoding="utf-8").splitlines() if line.startswith("| ")]
    assert rows[1] == "| MET | every page: items read | company | 10 |"
    assert rows[2].startswith("| **MISSED** | cold start (import + first request) <= 1.5x")
    assert "1.80x" in rows[2]
    assert rows[3].startswith("| MET | one botocore session per process | admin |")
    assert rows[4] == "| MET | export per row | company | 1.1 |"


def test_the_function_s_own_cpu_time_is_shown_as_a_paired_ratio_beside_the_wall_time() -> None:
    # Given rounds where the function's process spent 1.2x the minimal handler's CPU time
    base = ColdStart(MINIMAL, samples=[Sample(0.5, 1.0, 0.01, "ok", 1, cpu=0.40)] * 3)
    api = ColdStart(
        "admin",
        samples=[Sample(0.8, 2.0, 0.01, "200", 1, cpu=0.48)] * 3,
        ratios=[2.0] * 3,
        cpu_ratios=[1.2] * 3,
    )
    # When the section is written
    text = markdown(ColdRun(rounds=3, results=[base, api]))
    # Then its row carries its CPU milliseconds and the paired ratio, and the reason names it
    assert "| 480, 1.20x (1.20-1.20) |" in text
    assert "Its own CPU time: 1.20x the minimal handler's." in text
