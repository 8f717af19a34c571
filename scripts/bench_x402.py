"""Benchmark forge402's paid lane against the official x402 reference server: the entry point of the
`scripts/bench/x402/` package (see its docstring for what is measured and how).

    .venv/bin/python scripts/bench_x402.py            # both servers and chains, 5 rounds (~5 min)
    .venv/bin/python scripts/bench_x402.py --quick    # smoke run (~40 s)
    .venv/bin/python scripts/bench_x402.py --profile  # and py-spy's top frames of forge402 (unpaid c=32, paid c=1)
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from scripts.bench.x402.main import main

if __name__ == "__main__":
    sys.exit(main())
