"""Exit statuses of the command-line interface (after BSD sysexits), documented in the README."""

OK = 0
CHANGED = 1  # `aiinvest diff`: the two reports differ (as diff(1) says)
USAGE = 64  # bad command line (EX_USAGE): the parser's errors exit with it, not argparse's own 2
PARAMETERS = 64  # invalid report parameters (EX_USAGE too: the command was used wrongly)
DATA = 65  # the curated data failed validation (EX_DATAERR)
BUILD = 70  # the build itself failed: a cell raised, the kernel died or timed out, rendering failed
LOCKED = 75  # another build of the same report holds the lock (EX_TEMPFAIL); retry later
