"""`python -m unionhub_dev ...`: the same commands as the `unionhub-dev` script."""

from unionhub_dev.cli import main

raise SystemExit(main())
