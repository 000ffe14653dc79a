"""File extensions each kind of data is recognised by (one list, used by detection and the importers)."""

IMAGE_EXTS = frozenset({".png", ".jpg", ".jpeg", ".jpe", ".jfif", ".bmp", ".dib", ".webp"})
# Image formats we recognise but do not import: reported with a "convert it" message, not ignored.
OTHER_IMAGE_EXTS = frozenset({".gif", ".tif", ".tiff", ".heic", ".heif", ".avif", ".jp2", ".ico", ".svg",
                              ".psd", ".dng", ".cr2", ".nef", ".arw", ".raw"})
AUDIO_EXTS = frozenset({".wav", ".wave", ".flac", ".ogg", ".oga", ".aif", ".aiff", ".aifc", ".mp3"})
TABLE_EXTS = frozenset({".csv", ".tsv", ".txt"})
