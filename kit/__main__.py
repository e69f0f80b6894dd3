"""`python -m kit`: the `kit` command, as `python -m kit.cli` is."""

import sys

from kit.cli import main

sys.exit(main())
