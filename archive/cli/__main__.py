"""`python -m archive.cli` is the `archive` command."""

from archive.cli import main

main()
