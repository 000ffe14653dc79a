"""Compile a generated C header as TensorFlow Lite Micro's own build compiles the files that include it.

The flags are TFLM's Makefile (tensorflow/lite/micro/tools/make/Makefile): CC_WARNINGS, COMMON_FLAGS with
-Werror, CXXFLAGS (C++11, no RTTI or exceptions) and CCFLAGS (C11), at its BASE_OPTIMIZATION_LEVEL -Os. A
firmware walk found a sensor header that compiled with -Wall -Werror failing there on -Wdouble-promotion."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

TFLM_CC_WARNINGS = ["-Wsign-compare", "-Wdouble-promotion", "-Wshadow", "-Wunused-variable",
                    "-Wmissing-field-initializers", "-Wunused-function", "-Wswitch", "-Wvla", "-Wall", "-Wextra",
                    "-Wstrict-aliasing", "-Wno-unused-parameter"]
TFLM_COMMON_FLAGS = ["-Werror", "-fno-unwind-tables", "-ffunction-sections", "-fdata-sections",
                     "-fmessage-length=0", "-DTF_LITE_STATIC_MEMORY", "-Os"]
TFLM_CXXFLAGS = ["-std=c++11", "-fno-rtti", "-fno-exceptions", "-fno-threadsafe-statics",
                 *TFLM_CC_WARNINGS, *TFLM_COMMON_FLAGS]
TFLM_CCFLAGS = ["-Wimplicit-function-declaration", "-std=c11", *TFLM_CC_WARNINGS, *TFLM_COMMON_FLAGS]


def compile_with_tflm_flags(folder: Path, header: str, condition: str = "1", run: bool = True) -> None:
    """``#include "header"`` compiles as C11 and C++11 with TFLM's warnings, every one an error, and (C,
    linked with -lm) ``condition`` holds when run. Raises AssertionError with the compiler's words."""
    folder = Path(folder)
    cc = c_compiler()
    (folder / "tflm_main.c").write_text(f'#include "{header}"\nint main(void) {{ return ({condition}) ? 0 : 1; }}\n')
    done = subprocess.run([cc, *TFLM_CCFLAGS, "tflm_main.c", "-o", "tflm_main", "-lm"], cwd=folder,
                          capture_output=True, text=True)
    assert done.returncode == 0, f"C11 with TFLM's flags:\n{done.stderr[-3000:]}"
    if run:
        assert subprocess.run([str(folder / "tflm_main")]).returncode == 0, condition
    cxx = cxx_compiler()
    (folder / "tflm_main.cpp").write_text(f'#include "{header}"\nint main() {{ return ({condition}) ? 0 : 1; }}\n')
    done = subprocess.run([cxx, *TFLM_CXXFLAGS, "-c", "tflm_main.cpp", "-o", "tflm_main.o"], cwd=folder,
                          capture_output=True, text=True)
    assert done.returncode == 0, f"C++11 with TFLM's flags:\n{done.stderr[-3000:]}"


def c_compiler() -> str:
    """gcc (or cc): the C header tests compile what firmware would, so the test run needs one (CI and Linux
    machines have it). Without it those tests fail with this reason: a skipped test would check nothing."""
    import pytest

    found = shutil.which("gcc") or shutil.which("cc")
    if not found:
        pytest.fail("no C compiler (gcc or cc) on this machine: the C header tests compile the headers. Install "
                    "one (Debian/Ubuntu: sudo apt install build-essential) and run the tests again.")
    return found


def cxx_compiler() -> str:
    """g++ (or c++), as ``c_compiler``."""
    import pytest

    found = shutil.which("g++") or shutil.which("c++")
    if not found:
        pytest.fail("no C++ compiler (g++ or c++) on this machine: the C header tests compile the headers. "
                    "Install one (Debian/Ubuntu: sudo apt install build-essential) and run the tests again.")
    return found
