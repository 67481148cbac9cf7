"""CLI: the kg command group and its subcommands, by stage."""
