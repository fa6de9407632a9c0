"""The command line: parses options, builds objects, prints, picks exit codes."""
