"""Sub-commands of the ``edgeling`` CLI, one module each."""
