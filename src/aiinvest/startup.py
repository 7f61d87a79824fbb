"""Start-up of aiinvest's own processes: the command line, the validation process, build workers."""

import sys


def skip_unused_format_checkers() -> None:
    """Keep jsonschema from loading its optional IRI format checker.

    jsonschema imports rfc3987_syntax whenever it is installed (Jupyter installs it), and that
    compiles a grammar: about 0.9 s, paid by nbformat (the build) and by frictionless
    (validation). Neither ever passes a format checker, so the checker never runs. Call this
    only in processes that run nothing but aiinvest, never in a kernel or a user's program.
    """
    if "jsonschema" not in sys.modules:
        sys.modules.setdefault("rfc3987_syntax", None)  # None in sys.modules: the import fails
