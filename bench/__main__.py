"""``python -m bench``: the speed benchmark (see ``bench/bench.py`` and ``docs/benchmarks.md``)."""

import sys

from bench.bench import main

sys.exit(main())
