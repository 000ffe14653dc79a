"""One module per architecture family (see ``edgeling.core.models.zoo`` for the registry).

Each family module imports nothing heavy at module level: it describes its size knobs and front end in
plain data, and imports torch (and ``layers``) only inside ``build``.
"""
