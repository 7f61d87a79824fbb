"""Exit statuses of the command-line interface (after BSD sysexits), documented in the README."""

OK = 0
USAGE = 2  # bad command line (argparse's own status)
PARAMETERS = 64  # invalid report parameters (EX_USAGE)
DATA = 65  # the curated data failed validation (EX_DATAERR)
BUILD = 70  # the build itself failed: a cell raised, the kernel died or timed out, rendering failed
LOCKED = 75  # another build of the same report holds the lock (EX_TEMPFAIL); retry later
