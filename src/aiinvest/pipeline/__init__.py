"""The pipeline: the stages that turn parameters and data into a published report (`aiinvest build`).

One `BuildRequest` (the run: parameters, paths, limits) goes through one function per stage:
fingerprint (`manifest`), validate (a separate process), execute (`execute`), render (one loop over
the report's exporters, `render`), publish (`publish`) and the manifest.
"""

from .stages import BuildRequest, BuildResult, build, build_many, configure_logging, preview

__all__ = ["BuildRequest", "BuildResult", "build", "build_many", "configure_logging", "preview"]
