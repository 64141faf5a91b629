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
    if not os.environ.get("BENCH_DATABASE_URL"):  # the demo runs on SQLite: measured in the first pass only
        print("\n== figure requests on the demo province (its own SQLite database)", flush=True)
        subprocess.run([sys.executable, str(Path(__file__).parent / "figures_demo.py")], check=True)
