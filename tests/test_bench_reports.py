"""The bench's reports (bench/run.py, bench/faults.py): a run never overwrites
another's."""

from datetime import UTC, datetime

from bench import run


def test_a_second_run_of_the_same_day_size_and_commit_gets_a_report_of_its_own(
    tmp_path, monkeypatch
):
    monkeypatch.setattr(run, "RESULTS_DIR", tmp_path)
    monkeypatch.setattr(run, "git", lambda *args: "abc1234")
    started = datetime(2026, 12, 6, 1, 39, tzinfo=UTC)

    names = []
    for _ in range(3):
        path = run.report_path(started, 100_000, partial=True)
        path.write_text("a report")
        names.append(path.name)
    whole = run.report_path(started, "soak", 10_000)

    assert names == [
        "2026-12-06-100000-abc1234-partial.md",
        "2026-12-06-100000-abc1234-partial-2.md",
        "2026-12-06-100000-abc1234-partial-3.md",
    ]
    assert whole.name == "2026-12-06-soak-10000-abc1234.md"


def test_a_second_fault_run_of_the_same_day_keeps_the_first_ones_report(
    tmp_path, monkeypatch
):
    from bench import faults

    results = tmp_path / "bench" / "results"
    results.mkdir(parents=True)
    monkeypatch.setattr(faults, "PROJECT_DIR", tmp_path)
    monkeypatch.setattr(run, "RESULTS_DIR", results)
    monkeypatch.setattr(run, "git", lambda *args: "abc1234")

    faults.record("hang", "first run")
    faults.record("hang", "second run")

    reports = {path.name: path.read_text() for path in results.iterdir()}
    today = f"{datetime.now(UTC):%Y-%m-%d}"
    assert reports == {
        f"{today}-faults-hang-abc1234.md": "first run\n",
        f"{today}-faults-hang-abc1234-2.md": "second run\n",
    }
