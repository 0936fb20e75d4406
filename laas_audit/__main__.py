"""`python -m laas_audit` runs the CLI."""

from laas_audit.cli import main

main()
