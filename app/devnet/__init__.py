"""Local chains for development and tests: no internet, the same addresses and domains as the public testnets."""
