"""papermill's nbclient engine, for a build: a kernel started beforehand, and the notebook written once.

papermill's own engine writes the whole notebook (validated by nbformat) before and after every cell, 26 times
for the report, and nbclient shuts its kernel down gracefully, waiting for it to exit (about a second). A build
reads the notebook only once it has ended, so this engine writes it once: papermill writes the finished notebook,
and a run that ends early (a cell timed out, the kernel died) is written here, for the build to keep. The kernel
is the one the build started while it checked its parameters; nbclient shuts it down, at once, when the
notebook has run, as it does a kernel it started itself.
"""

from papermill.clientwrap import PapermillNotebookClient
from papermill.engines import NBClientEngine, NotebookExecutionManager, papermill_engines
from papermill.iorw import write_ipynb

ENGINE_NAME = "aiinvest"


class BuildEngine(NBClientEngine):
    """Execute with a kernel already started (`km`); write the notebook at the end only."""

    @classmethod
    def execute_notebook(cls, nb, kernel_name, output_path=None, progress_bar=True, log_output=False, **kwargs):
        """As papermill's Engine.execute_notebook, with no write per cell; a run that raises is written here."""
        kwargs.pop("autosave_cell_every", None)  # no write while a cell runs either
        manager = NotebookExecutionManager(nb, None, log_output, progress_bar, autosave_cell_every=0)
        manager.notebook_start()
        ended = False
        try:
            cls.execute_managed_notebook(manager, kernel_name, log_output=log_output, **kwargs)
            ended = True
        finally:
            manager.cleanup_pbar()
            manager.notebook_complete()
            if not ended and output_path:  # papermill writes the notebook it returns; this one it never sees
                write_ipynb(manager.nb, output_path)
        return manager.nb

    @classmethod
    def execute_managed_notebook(cls, nb_man, kernel_name, log_output=False, start_timeout=60, **kwargs):
        """Run the cells in the given kernel (kwargs: `km`, `execution_timeout` and nbclient's options)."""
        timeout = kwargs.pop("execution_timeout", None)
        for unused in ("input_path", "stdout_file", "stderr_file"):
            kwargs.pop(unused, None)
        client = PapermillNotebookClient(
            nb_man,
            kernel_name=kernel_name,
            timeout=timeout,
            startup_timeout=start_timeout,
            log_output=log_output,
            shutdown_kernel="immediate",  # nothing in the kernel is left to save once the notebook has run
            **kwargs,
        )
        client.owns_km = True  # so nbclient shuts the given kernel down when the notebook ends, or fails
        return client.execute()


papermill_engines.register(ENGINE_NAME, BuildEngine)
