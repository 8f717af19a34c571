"""`python -m app.cli ...` runs the `forge402` command."""

from app.cli import main

main()
