"""INDICATORS.md, generated from core.evaluation so the docs cannot drift from the code (a test compares)."""

from urbangrid.core import evaluation as core

HEAD = """# Evaluation indicators (综合评价指标)

Generated from `urbangrid.core.evaluation` by `python -m urbangrid.evaluation.docs > INDICATORS.md`; a test
checks that this file is current. The report pages show the same text at `/evaluation/indicators/`, in Chinese.

A case counts in a period by the city date (Asia/Shanghai) of the event that makes it count. Maintained counts
are bumped in the event's transaction (one upsert per table) and rebuilt by `urbangrid evaluation recount`.
The same deltas go into three monthly tables (district × class × department × source; district × department;
person × post), the current month too; a report reads them for the months its period covers (a month of which
it leaves out only days still to come counts as covered), and for a month it cuts the fewer days: those it
takes from the daily counters, or the month's sums less the days it leaves out. The numbers are the same
either way (tests/evaluation/test_recount.py), and a recount rebuilds the sums.

超期未处置 at the end of a past period is a balance: each stay of a case with a department under one deadline
adds 1 (`overdue_began`) on the first day whose end finds it overdue and takes 1 away (`overdue_ended`) on the
day the move that ends the stay is made; a stay that ends before any day's end saw it overdue adds and takes
away on the same day. Both are counted by the moves, in their transaction (the first day is known from the
deadline the move sets), never by the per-minute sweep: so once, however many workers sweep, and whether or
not a sweep has run. The balance to a day is the monthly sums of the months before plus the days of its
month; a period not yet over is counted now, from the case rows (a bulk-written history has case rows with
deadlines and no moves behind them). The replay of the event log gives the same numbers
(tests/evaluation/test_overdue.py) and the drill-down's list.

Collectors' 漏报 and 网格立案数 count for the collectors responsible for the case's grid on the city day of the
event, from the history of their responsibility grids (accounts.GridSpell, shown on the collector's profile in
the admin): a change of a collector's grids takes effect from the next city day, so a day is never split
between collectors and a count made during the day is what a recount finds later. The field app's patrol
view and the right to verify and check in a grid follow today's grids at once.

The maintenance funding basis (`/evaluation/maintenance/`, art. 31(5)) counts, per maintenance unit (养护单位)
of the components that cases name: 发现问题 = `opened`, 处置 = `handled`, 按期处置 = `handled_on_time`, as
defined below; the components by class and condition as the inventory stands now.

Bulletins (art. 30) are made as drafts (by the centres' staff, or by the worker for last week and last month)
and published only when a leader other than their maker approves them; a rejection gives its reason. Who did
what and when is kept in the review log. Published bulletins never change: a correction is a new version of
the same period that names the one it replaces and says what changes.
"""


def markdown() -> str:
    parts = [HEAD]
    sections = (
        ("Maintained per day × grid × class × department × source", core.FACT_COUNTS),
        ("Counted at the end of the period", core.QUERY_TIME),
        ("Maintained per day × grid × class × department × source, read as a balance (超期未处置 at the end of "
         "day D = the sum over the days to D of began − ended)", core.OVERDUE_FLOWS),
        ("Maintained per day × person × post", core.POST_COUNTS),
        ("Per person, derived from the maintained counts", core.POST_QUERY_TIME),
    )
    for title, items in sections:
        parts.append(f"\n## {title}\n\n| Term | Key | Definition |\n|---|---|---|")
        parts += [f"| {d.term} | `{d.name}` | {d.text} |" for d in items]
    parts.append("\n## Rates (percent; none when the denominator is 0)\n\n| Rate | Key | Numerator | Denominator |"
                 "\n|---|---|---|---|")
    rates = (*core.RATES, *core.POST_RATES)
    parts += [f"| {r.term} | `{r.name}` | `{r.numerator}` | `{r.denominator}` |" for r in rates]
    parts.append("\n## Default 综合指标值 (STANDARDS.md §5.2–5.5, mistakes fixed; rule set version 1)\n")
    parts.append(core.__doc__.split("STANDARDS.md §5 is followed, with its noted mistakes fixed:")[1].strip())
    for subject in core.SUBJECTS:
        terms = " + ".join(f"{t.indicator} ({t.method}) × {t.weight} %" for t in core.default_terms(subject))
        parts.append(f"\n- **{subject}**: {terms}")
    parts.append("\nBands: region 立案数 (fewer is better) ≤0 → 100, ≤2 → 90, ≤4 → 75, ≤6 → 60, ≤8 → 40, else 0; "
                 "department 派遣数 ≤50/100/200/500/1000; 受理数 and 派遣数 of posts ≥2001/1201/501/301/101 → "
                 "100/90/75/60/40, else 0. Grades A ≥ 90, B ≥ 75, C ≥ 60, D ≥ 40, E below. A term with no value "
                 "(nothing due) is left out and the other weights are scaled to 100 %. Ranks: equal scores share "
                 "a rank (1, 1, 3).")
    return "\n".join(parts) + "\n"


if __name__ == "__main__":
    print(markdown(), end="")
