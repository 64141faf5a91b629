"""make bench: every benchmark, each figure beside its baseline measured in the same run. Never in CI."""

import os
import subprocess
import sys
from pathlib import Path

import imports_bench
import search
import stats_bench

if __name__ == "__main__":
    print("== search")
    search.main()
    print("\n== household import")
    imports_bench.main()
    stats_bench.main()
    # Each of these sets up its own database (a process each): the villages import against the per-row
    # service and the households' rate, and the certificates of a 1,000-household decision.
    for title, script in (("villages import", "villages_bench.py"), ("certificates", "certificates_bench.py")):
        print(f"\n== {title}", flush=True)
        subprocess.run([sys.executable, str(Path(__file__).parent / script)], check=True)
    if not os.environ.get("BENCH_DATABASE_URL"):  # the demo runs on SQLite: measured in the first pass only
        print("\n== figure requests on the demo province (its own SQLite database)", flush=True)
        subprocess.run([sys.executable, str(Path(__file__).parent / "figures_demo.py")], check=True)
        print("\n== many evaluations at once on the demo province (its own SQLite database)", flush=True)
        subprocess.run([sys.executable, str(Path(__file__).parent / "batch_bench.py")], check=True)
