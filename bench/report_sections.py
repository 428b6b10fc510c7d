"""Where `report --year 2026 --all` spends its time: each section's queries, in one process, per store.

    python bench/report_sections.py [--stores DIR] [--sizes 100k,1M,1M-hist] [--runs 3] [--adviser NAME]

The stores are those of bench/scale.py (capcli upgrades a store it opens: give copies). Each section
is built --runs times inside the report's read snapshot, the stores interleaved run by run; printed:
the median per section and store, and the holiday calendar (built in a thread beside the queries by
`capcli report`). Start-up and rendering are not in these figures: scale.py measures the command.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from capcli.domain import report as figures  # noqa: E402
from capcli.services import report as service  # noqa: E402
from capcli.store import report as sql  # noqa: E402
from capcli.store.engine import open_store  # noqa: E402

PERIOD = figures.Period(date(2026, 1, 1), date(2026, 11, 22), "2026")
TODAY = date(2026, 11, 22)


def sections(store, adviser, shifted) -> dict:
    p = PERIOD
    return {
        "cases": lambda: service._cases(store, p, adviser, "kind"),
        "outcomes, rates, durations": lambda: service._closings(store, p, adviser),
        "contacts": lambda: service._contacts(store, p, adviser, "kind", TODAY, shifted),
        "needs": lambda: service._needs(store, p, adviser),
        "measures": lambda: service._measures(store, p, adviser),
        "uptake": lambda: service._uptake(store, p, adviser),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stores", type=Path, default=Path("/work/bench-stores"))
    parser.add_argument("--sizes", default="100k,1M,1M-hist")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--adviser", help="one adviser's report (default: the whole agency)")
    args = parser.parse_args()
    sizes = args.sizes.split(",")
    stores = {size: open_store(args.stores / f"{size}.sqlite") for size in sizes}
    started = time.perf_counter()
    shifted = figures.shifted_due_days(PERIOD.start, PERIOD.end)
    calendar = time.perf_counter() - started
    times: dict[tuple[str, str], list[float]] = {}
    for _run in range(args.runs):
        for size, store in stores.items():
            with sql.snapshot(store):
                for name, build in sections(store, args.adviser, shifted).items():
                    started = time.perf_counter()
                    build()
                    times.setdefault((name, size), []).append(time.perf_counter() - started)
    names = list(sections(None, None, shifted))
    print(f"{args.runs} runs, stores interleaved; holiday calendar {calendar:.3f} s (in a thread in capcli)")
    print(f"{'section':28}" + "".join(f"{s:>10}" for s in sizes))
    for name in names + ["total"]:
        cells = []
        for size in sizes:
            value = (sum(statistics.median(times[(n, size)]) for n in names) if name == "total"
                     else statistics.median(times[(name, size)]))
            cells.append(f"{value:9.3f}s")
        print(f"{name:28}" + "".join(cells))


if __name__ == "__main__":
    main()
