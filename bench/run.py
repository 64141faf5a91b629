"""make bench: every benchmark, each figure beside its baseline measured in the same run. Never in CI."""

import imports_bench
import search

if __name__ == "__main__":
    print("== search")
    search.main()
    print("\n== household import")
    imports_bench.main()
