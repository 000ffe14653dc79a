"""The C header's names come from its file name: ``pump_model.h`` gives ``PUMP_MODEL_ARENA_SIZE``,
``pump_model_tflite`` and the include guard ``PUMP_MODEL_H_``. The firmware walk: two headers exported as
``model.h`` (two projects) had the same include guard and symbols, so a program including both silently kept
one. The header says where its names come from, and the export warns when the file name is generic."""

from __future__ import annotations

_GENERIC_WORDS = {
    "model", "models", "int8", "uint8", "float", "float32", "quant", "quantized", "output", "out", "export",
    "exported", "network", "net", "nn", "data", "header", "tflite", "tf", "lite", "micro", "test", "main",
    "default", "my", "new", "final", "converted", "file", "untitled", "h", "c", "v",
}


def is_generic(ident: str) -> bool:
    """Whether the C identifier made from a file name says nothing of the model: 'model', 'model_int8',
    'output', 'export', 'network', 'model_data', 'm' ..."""
    words = [w for w in ident.lower().split("_") if w and not w.isdigit()]
    return len(ident.strip("_")) <= 2 or all(w in _GENERIC_WORDS or w.rstrip("0123456789") in _GENERIC_WORDS
                                             for w in words)


def suggested_name(labels: list[str], data_name: str = "") -> str:
    """A specific file name from what the model tells apart: 'cavitation_loose_normal_model.h'; from the data's
    folder name ``data_name`` when the labels are numbers (digits: 'digits_model.h', not 'm_0_1_2_model.h')."""
    from edgeling.core.export.c_header import c_identifier

    named = [str(label) for label in labels if any(ch.isalpha() for ch in str(label))]
    source = "_".join(named[:3]) if named else data_name
    words = c_identifier(source)[:40].strip("_").lower() if source else ""
    return f"{words}_model.h" if words and not is_generic(words) else "what_it_detects_model.h"


def names_comment(ident: str, file_name: str) -> str:
    """The header's first lines: where its names come from (and a warning when the name is generic)."""
    macro = ident.upper()
    said = (f"// Every name in this file ({macro}_..., {ident}_..., the include guard {macro}_H_) comes from its file\n"
            f"// name, {file_name}: two headers included in one program need different file names.\n")
    if is_generic(ident):
        said += (f"// '{file_name}' is a generic name: another header exported under it would have the same names, and\n"
                 "// including both would silently keep one. Export it again under a name that says what it does.\n")
    return said


def generic_name_warning(file_name: str, ident: str, labels: list[str], data_name: str = "") -> str:
    """The export's warning for a generic header name, '' for a specific one (``data_name``: the data's folder
    name, for the suggestion when the labels are numbers)."""
    if not is_generic(ident):
        return ""
    return (f"Warning: {file_name} is a generic name, and the header's names come from it ({ident.upper()}_ARENA_SIZE, "
            f"{ident}_tflite, the include guard {ident.upper()}_H_): another header exported as {file_name} has the "
            "same ones, and a program that includes both silently keeps only one. Export it under a specific "
            f"name instead, e.g. {suggested_name(labels, data_name)}.")
