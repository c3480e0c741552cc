"""tests/bench/bench_all.py gathers every script's figures into one table, skips missing scripts and reports crashes.

These run tiny stand-in scripts (no benchmark is timed here): what is checked is the aggregation, not any figure.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import bench_all  # noqa: E402

REPORTING = f"""
import sys
sys.path.insert(0, {str(HERE)!r})
from table import Figure, report
quick = "--small" in sys.argv
report([Figure("thing done", 1.5 if quick else 3.0, "s", 2.0, "plain script", max_ratio=1.0, note="3 runs"),
        Figure("memory", 50, "MB", max_value=200)])
"""


@pytest.fixture
def fake_root(tmp_path, monkeypatch):
    bench = tmp_path / "tests" / "bench"
    bench.mkdir(parents=True)
    monkeypatch.setattr(bench_all, "ROOT", tmp_path)
    monkeypatch.setattr(bench_all, "BENCH", bench)
    return tmp_path


def use(monkeypatch, *scripts: bench_all.Script) -> None:
    monkeypatch.setattr(bench_all, "SCRIPTS", list(scripts))


def test_one_table_from_every_script_in_group_order(fake_root, monkeypatch, capsys):
    (fake_root / "tests/bench/bench_first.py").write_text(REPORTING)
    (fake_root / "tests/bench/bench_second.py").write_text(REPORTING.replace("thing done", "other thing"))
    use(monkeypatch, bench_all.Script("start-up", "tests/bench/bench_second.py"),
        bench_all.Script("big files", "tests/bench/bench_first.py", [], ["--small"]))
    assert bench_all.main([]) == 0  # a missed goal is not a failure: the verdict column shows it
    out = capsys.readouterr().out
    table = out[out.index("figure  "):]
    lines = [ln for ln in table.splitlines() if ln.strip()]
    assert lines[0].split() == ["figure", "ours", "baseline", "ratio", "goal", "verdict"]
    assert lines[2].startswith("other thing") and lines[4].startswith("thing done")  # script order, one table
    assert "1.50×" in lines[4] and lines[4].endswith("MISSED")
    assert "Missed goals:" in out and "thing done: 3 runs" in out
    assert bench_all.main(["--quick", "--only", "first"]) == 0
    out = capsys.readouterr().out
    assert "bench_first.py --small" in out and "other thing" not in out
    assert "0.75×" in out


def test_missing_scripts_are_skipped_and_a_crash_fails_the_run(fake_root, monkeypatch, capsys):
    (fake_root / "tests/bench/bench_ok.py").write_text(REPORTING)
    (fake_root / "tests/bench/bench_crash.py").write_text("raise SystemExit('boom: the server did not start')\n")
    (fake_root / "tests/bench/bench_silent.py").write_text("print('figures the old way: 3 s')\n")
    use(monkeypatch, bench_all.Script("CLI", "tests/bench/bench_notyet.py"),
        bench_all.Script("CLI", "tests/bench/bench_ok.py"))
    assert bench_all.main([]) == 1  # bench_crash.py and bench_silent.py are found too (group "other")
    out = capsys.readouterr().out
    assert "tests/bench/bench_notyet.py: not written yet" in out
    assert "boom: the server did not start" in out  # the crashed script's last lines are shown
    failed = out[out.index("Failed:"):]
    assert "bench_crash.py: exit status 1" in failed and "bench_silent.py: printed no figures" in failed
    assert "thing done" in out  # the figures that did arrive are still in the table


def test_only_with_no_match_names_the_scripts(fake_root, monkeypatch, capsys):
    use(monkeypatch, bench_all.Script("CLI", "tests/bench/bench_ok.py"))
    assert bench_all.main(["--only", "nothing"]) == 2
    assert "bench_ok.py" in capsys.readouterr().err
