"""Jobs: long work (training, compression, export) run in a ``spawn`` child process or in-process.

Nothing here imports torch or Qt at module level: the GUI process imports this package and drives a
``JobHandle`` from a timer. A job is a module-level function ``job(params: dict, ctx: JobContext) -> dict``
named by a dotted path string, so the parent never imports the job's module.
"""
