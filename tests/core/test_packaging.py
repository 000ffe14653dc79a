"""Static checks of the installers (packaging/, .github/workflows/installers.yml): fast, no build.

The slow end-to-end test of the Linux package is packaging/test_deb.sh (run on release tags and before a
packaging change is merged; see README "Install").
"""

from __future__ import annotations

import ast
import importlib.util
import re
import shutil
import subprocess

import pytest
import yaml
from PIL import Image

from tests.core.test_boundaries import ROOT

PKG = ROOT / "packaging"
WORKFLOW = ROOT / ".github" / "workflows" / "installers.yml"


def _load_entry():
    spec = importlib.util.spec_from_file_location("edgeling_frozen_entry", PKG / "entry.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_spec_parses_and_carries_the_findings():
    text = (PKG / "edgeling.spec").read_text(encoding="utf-8")
    tree = ast.parse(text, filename="edgeling.spec")
    calls = {n.func.id for n in ast.walk(tree) if isinstance(n, ast.Call) and isinstance(n.func, ast.Name)}
    assert {"Analysis", "PYZ", "EXE", "COLLECT", "BUNDLE"} <= calls
    assert '"onnxscript": "pyz+py"' in text and '"onnx_ir": "pyz+py"' in text
    assert '"edgeling.core": "pyz+py"' in text  # the auto-sizer hashes its own source (inspect.getsource)
    assert "entry.py" in text and "torch_shm_manager" in text
    # resources/ lands where the app looks for it: next to the edgeling package folders
    assert '(str(ROOT / "resources"), "edgeling/resources")' in text
    assert "libtorch*.so" in text  # strip only libtorch: stripping everything breaks OpenBLAS


def test_spec_slimming_filter_keeps_what_torch_needs():
    tree = ast.parse((PKG / "edgeling.spec").read_text(encoding="utf-8"))
    keep_fn = next(n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == "keep")
    namespace: dict = {}
    exec(compile(ast.Module([keep_fn], []), "edgeling.spec", "exec"), namespace)
    keep = namespace["keep"]
    assert keep("torch/bin/torch_shm_manager")
    assert keep("torch/lib/libtorch_cpu.so")
    assert keep("PySide6/Qt/plugins/platforms/libqxcb.so")
    assert not keep("torch/bin/test_api")
    assert not keep("torch/test/test_jit")
    assert not keep("PySide6/Qt/plugins/platformthemes/libqgtk3.so")
    assert not keep("PySide6/Qt/lib/libQt6Test.so.6")


def test_entry_calls_freeze_support_before_anything_else():
    tree = ast.parse((PKG / "entry.py").read_text(encoding="utf-8"))
    body = [n for n in tree.body if not (isinstance(n, ast.Expr) and isinstance(n.value, ast.Constant))]
    assert isinstance(body[0], ast.Import) and [a.name for a in body[0].names] == ["multiprocessing"]
    guard = body[1]
    assert isinstance(guard, ast.If) and "__main__" in ast.unparse(guard.test)
    assert ast.unparse(guard.body[0]) == "multiprocessing.freeze_support()"


def test_entry_dispatches_on_the_name_it_was_started_as(tmp_path, capsys):
    entry = _load_entry()
    assert entry.invoked_name("/usr/bin/edgeling") == "edgeling"
    assert entry.invoked_name("C:\\Program Files\\Edgeling\\edgeling.exe") == "edgeling"
    assert entry.invoked_name("/opt/edgeling/edgeling-studio") == "edgeling-studio"
    missing = tmp_path / "no-such-folder"
    # As `edgeling` (the /usr/bin link) and as `edgeling-studio --cli`, the arguments go to the CLI.
    assert entry.dispatch(["/usr/bin/edgeling", "inspect", str(missing)]) == 2
    assert entry.dispatch(["/opt/edgeling/edgeling-studio", "--cli", "inspect", str(missing)]) == 2
    assert str(missing) in capsys.readouterr().err


def test_desktop_entry_is_valid_and_launches_the_installed_app():
    desktop = PKG / "linux" / "edgeling.desktop"
    if shutil.which("desktop-file-validate"):
        r = subprocess.run(["desktop-file-validate", str(desktop)], capture_output=True, text=True)
        assert r.returncode == 0 and "error" not in r.stdout.lower(), r.stdout + r.stderr
    lines = desktop.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "[Desktop Entry]"
    keys = dict(line.split("=", 1) for line in lines[1:] if "=" in line)
    assert keys["Type"] == "Application" and keys["Name"] == "Edgeling" and keys["Terminal"] == "false"
    assert keys["Icon"] == "edgeling" and keys["Categories"].endswith(";")
    assert keys["Exec"].split()[0] == "/usr/bin/edgeling-studio"
    build = (PKG / "linux" / "build_deb.sh").read_text(encoding="utf-8")
    assert 'ln -s /opt/edgeling/edgeling-studio "$PKG/usr/bin/edgeling-studio"' in build
    assert "icons/hicolor/256x256/apps/edgeling.png" in build


def test_build_deb_lists_the_xcb_dependencies_and_packs_with_xz():
    text = (PKG / "linux" / "build_deb.sh").read_text(encoding="utf-8")
    depends = re.search(r"DEPENDS=\((.*?)\n\)", text, re.S).group(1).split()
    for package in ("libxcb-icccm4", "libxcb-keysyms1", "libxcb-cursor0", "libxkbcommon-x11-0"):
        assert package in depends
    assert "dpkg-deb --root-owner-group -Zxz" in text
    assert "/opt/edgeling" in text and "Installed-Size" in text
    subprocess.run(["bash", "-n", str(PKG / "linux" / "build_deb.sh")], check=True)


@pytest.mark.parametrize("script", ["linux/build_deb.sh", "macos/build_dmg.sh", "test_deb.sh",
                                    "linux/postinst", "linux/postrm"])
def test_shell_scripts_parse_and_are_executable(script):
    path = PKG / script
    assert path.stat().st_mode & 0o111, f"{script} is not executable"
    shell = "sh" if script.startswith("linux/post") else "bash"
    subprocess.run([shell, "-n", str(path)], check=True)


def test_uninstall_scripts_never_touch_user_data():
    for name in ("postinst", "postrm"):
        lines = (PKG / "linux" / name).read_text(encoding="utf-8").splitlines()
        code = "\n".join(line for line in lines if not line.lstrip().startswith("#"))
        for risky in ("rm ", "HOME", "/home", ".local", "~"):
            assert risky not in code, f"{name} mentions {risky!r}"
    e2e = (PKG / "test_deb.sh").read_text(encoding="utf-8")
    assert "apt-get purge" in e2e and "unshare -n" in e2e and "Xvfb" in e2e and "--self-test" in e2e


def test_workflow_builds_on_three_oses_and_runs_the_self_test():
    wf = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    on = wf.get("on", wf.get(True))  # YAML 1.1 reads a bare `on:` key as True
    assert on["push"]["tags"] == ["v*"]
    build = wf["jobs"]["build"]
    oses = [m["os"] for m in build["strategy"]["matrix"]["include"]]
    assert any(o.startswith("ubuntu") for o in oses)
    assert any(o.startswith("windows") for o in oses)
    assert "macos-14" in oses or any(o.startswith("macos") and "arm" in o for o in oses)  # Apple silicon
    steps = build["steps"]
    for runner_os in ("Linux", "Windows", "macOS"):
        mine = " ".join(s.get("run", "") for s in steps if runner_os in s.get("if", ""))
        assert mine, f"no steps for {runner_os}"
        assert "--self-test" in mine or "test_deb.sh" in mine, f"{runner_os} does not run the self-test"
    assert "--self-test" in (PKG / "test_deb.sh").read_text(encoding="utf-8")
    uploads = [s for s in steps if str(s.get("uses", "")).startswith("actions/upload-artifact")]
    assert uploads and "pyinstaller==6.22.*" in WORKFLOW.read_text(encoding="utf-8")


def test_windows_installer_checks_the_vc_runtime_and_mac_recipe_signs_only_with_secrets():
    iss = (PKG / "windows" / "edgeling.iss").read_text(encoding="utf-8")
    assert r"VC\Runtimes\x64" in iss and "Check: VCRedistNeeded" in iss
    assert r"..\..\dist\edgeling" in iss and "edgeling-studio.exe" in iss
    dmg = (PKG / "macos" / "build_dmg.sh").read_text(encoding="utf-8")
    for needed in ("--options runtime", "notarytool submit", "stapler staple", "hdiutil create",
                   "codesign skipped", "notarization of"):
        assert needed in dmg
    assert 'IDENTITY="${MACOS_SIGNING_IDENTITY:-}"' in dmg


def test_icons_exist_in_three_formats_and_stay_small():
    icons = PKG / "icons"
    png = Image.open(icons / "edgeling.png")
    assert png.size == (256, 256)
    ico = Image.open(icons / "edgeling.ico")
    assert {(16, 16), (32, 32), (256, 256)} <= set(ico.info["sizes"])
    assert Image.open(icons / "edgeling.icns").format == "ICNS"
    for f in icons.iterdir():
        assert f.stat().st_size < 100_000, f"{f.name} is {f.stat().st_size} bytes"
