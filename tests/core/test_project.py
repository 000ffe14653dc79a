"""Projects: saved atomically, reopened exactly as left, damaged files give plain messages, and a project
never reaches outside its folder."""

from __future__ import annotations

import json
import os

import pytest

from edgeling.core import project as proj
from edgeling.core.project import ProjectError, create_project, load_project
from edgeling.core.recent_projects import forget_recent, recent_projects


@pytest.fixture(autouse=True)
def data_dir(tmp_path, monkeypatch):
    d = tmp_path / "appdata"
    monkeypatch.setenv("EDGELING_DATA_DIR", str(d))
    return d


def test_new_project_goes_to_the_data_folder_with_unique_names(data_dir):
    a = create_project("Grape leaves")
    b = create_project("Grape leaves")
    assert a.folder == (data_dir / "projects" / "Grape-leaves").resolve()
    assert b.folder.name == "Grape-leaves-2"
    assert a.file.is_file() and (a.folder / proj.BACKUP_FILE).is_file()


def test_reopens_exactly_as_left_with_runs_and_exports(tmp_path):
    p = create_project("Pump", tmp_path / "mine")
    p.update(data={"path": str(tmp_path / "data"), "kind": "timeseries", "options": {"window_s": 2.0}},
             device="arduino-nano-33-ble-sense", model={"architecture": "cnn1d", "knobs": {"width": 16}})
    run_dir = p.runs_dir / "run-001"
    run_dir.mkdir(parents=True)
    p.add_run(run_dir, status="finished", best={"val_accuracy": 0.93})
    export = p.exports_dir / "model_int8.tflite"
    export.parent.mkdir(parents=True)
    export.write_bytes(b"x" * 10)
    p.add_export(export, format="tflite_int8", size_bytes=10, verification={"passed": True})
    p.set_ui("page", "train")
    assert p.dirty
    p.save()
    assert not p.dirty

    q = load_project(tmp_path / "mine")
    assert q.to_dict() == {**p.to_dict()}
    assert q.runs[0]["folder"] == "runs/run-001"
    assert q.run_folder(q.runs[0]) == run_dir.resolve()
    assert q.export_path(q.exports[0]).read_bytes() == b"x" * 10
    assert q.ui["page"] == "train" and q.warnings == []
    # Loading via the file path works too, and the project is first in the recent list.
    assert load_project(p.file).name == "Pump"
    assert recent_projects()[0]["path"] == str(p.folder)


def test_moved_project_still_finds_its_runs(tmp_path):
    p = create_project("Move me", tmp_path / "a")
    (p.runs_dir / "r1").mkdir(parents=True)
    p.add_run(p.runs_dir / "r1", status="finished")
    p.save()
    os.rename(tmp_path / "a", tmp_path / "b")
    q = load_project(tmp_path / "b")
    assert q.run_folder(q.runs[0]) == (tmp_path / "b" / "runs" / "r1").resolve()


def test_moved_project_finds_the_data_kept_inside_it_but_not_data_elsewhere(tmp_path):
    p = create_project("Leaves", tmp_path / "a")
    (p.folder / "photos" / "healthy").mkdir(parents=True)
    p.update(data={"path": str(p.folder / "photos"), "kind": "images", "options": {}})
    p.save()
    os.rename(tmp_path / "a", tmp_path / "usb")
    q = load_project(tmp_path / "usb")
    assert q.data["path"] == str((tmp_path / "usb" / "photos").resolve()) and q.dirty
    assert "found inside the project folder" in q.warnings[0]
    q.save()
    assert load_project(tmp_path / "usb").warnings == []

    outside = create_project("Elsewhere", tmp_path / "c")
    outside.update(data={"path": str(tmp_path / "my photos"), "kind": "images", "options": {}})
    outside.save()
    assert "inside_project" not in json.loads(outside.file.read_text())["data"]
    os.rename(tmp_path / "c", tmp_path / "d")
    assert load_project(tmp_path / "d").data["path"] == str(tmp_path / "my photos")  # left as it was


def test_corrupted_project_file_gives_a_plain_message_and_the_backup_opens(tmp_path):
    p = create_project("Shop", tmp_path / "shop")
    p.update(device="this-computer")
    p.save()
    p.file.write_text('{"name": "Shop", "runs": [', encoding="utf-8")   # truncated on disk
    with pytest.raises(ProjectError) as info:
        load_project(p.folder)
    msg = str(info.value)
    assert "damaged" in msg and str(p.file) in msg and "backup" in msg
    assert info.value.backup_available
    q = load_project(p.folder, from_backup=True)
    assert q.device == "this-computer" and q.dirty       # the next autosave repairs project.json
    q.save()
    assert load_project(p.folder).device == "this-computer"


def test_a_damaged_list_of_runs_loses_neither_the_runs_nor_the_backup(tmp_path):
    """The upgrade walk: "runs" edited into an object opened with no runs, and the next save wrote the empty list
    to project.json.bak too; the run folders were never found again."""
    from edgeling.core import runs

    p = create_project("Pump", tmp_path / "pump")
    for name in ("run-001", "run-002"):
        config = {"status": "finished"}
        if name == "run-002":        # compressed from run-001: it must not look trained (Resume picked it)
            config.update(compressed_from=str(p.runs_dir / "run-001"), compression=[{"pass": "ptq"}])
        runs.write_config(p.runs_dir / name, config)
        runs.write_metrics(p.runs_dir / name, {"accuracy": 0.9})
        p.add_run(p.runs_dir / name, status="finished")
    p.save()
    raw = json.loads(p.file.read_text(encoding="utf-8"))
    p.file.write_text(json.dumps({**raw, "runs": {"run-001": "x"}}), encoding="utf-8")
    with pytest.raises(ProjectError) as info:                  # the backup holds them: open it
        load_project(p.folder)
    assert "list of runs" in str(info.value) and info.value.backup_available
    assert len(load_project(p.folder, from_backup=True).runs) == 2
    (p.folder / proj.BACKUP_FILE).unlink()                     # no backup: the runs on disk are listed again
    q = load_project(p.folder)
    assert [r["folder"] for r in q.runs] == ["runs/run-001", "runs/run-002"] and q.runs[0]["status"] == "finished"
    assert "compressed_from" not in q.runs[0] and q.runs[1]["compressed_from"] == "runs/run-001"
    assert q.runs[1]["passes"] and q.runs[0]["best"] == {"accuracy": 0.9}
    runs.write_metrics(p.runs_dir / "run-001", {"accuracy": 0.8, "split": "validation"})    # no test samples
    (p.runs_dir / "run-002" / "run.json").write_text("{cut", encoding="utf-8")
    (p.runs_dir / "run-002" / "run.json.bak").unlink()
    q.file.write_text(json.dumps({**raw, "runs": 7}), encoding="utf-8")
    (p.folder / proj.BACKUP_FILE).unlink(missing_ok=True)
    r = load_project(p.folder)
    assert r.runs[0]["best"] == {"accuracy": 0.8, "split": "validation"}
    assert [e["id"] for e in r.runs] == ["run-001", "run-002"]      # a damaged run is listed, not dropped
    assert any("list of runs in project.json was damaged. The 2 runs found in" in w for w in q.warnings) and q.dirty


def test_missing_and_foreign_project_files(tmp_path):
    with pytest.raises(ProjectError, match="no Edgeling project"):
        load_project(tmp_path)
    (tmp_path / proj.PROJECT_FILE).write_text("[1, 2, 3]", encoding="utf-8")
    with pytest.raises(ProjectError, match="does not hold an Edgeling project"):
        load_project(tmp_path)
    (tmp_path / proj.PROJECT_FILE).write_text(json.dumps({"name": "x", "format": 99}), encoding="utf-8")
    with pytest.raises(ProjectError, match="newer version"):
        load_project(tmp_path)


def test_a_project_never_reaches_outside_its_folder(tmp_path):
    folder = tmp_path / "packed"
    folder.mkdir()
    outside = tmp_path / "secret"
    outside.mkdir()
    (folder / "runs").mkdir()
    os.symlink(outside, folder / "runs" / "link")
    raw = {"name": "Packed", "format": 1,
           "runs": [{"id": "ok", "folder": "runs/ok"}, {"id": "up", "folder": "../secret"},
                    {"id": "abs", "folder": str(outside)}, {"id": "link", "folder": "runs/link"},
                    "not a dict"],
           "exports": [{"path": "exports/m.onnx"}, {"path": "exports/../../secret/m.onnx"}],
           "data": {"path": "../secret/data.csv"}}
    (folder / proj.PROJECT_FILE).write_text(json.dumps(raw), encoding="utf-8")
    q = load_project(folder)
    assert [r["id"] for r in q.runs] == ["ok"]
    assert [e["path"] for e in q.exports] == ["exports/m.onnx"]
    assert q.data == {}
    assert len(q.warnings) == 6 and all("outside" in w for w in q.warnings)
    with pytest.raises(ProjectError, match="outside the project folder"):
        q.path_in("../secret")
    with pytest.raises(ProjectError, match="outside the project folder"):
        q.add_run(outside)


def test_user_data_outside_the_project_is_allowed_when_absolute(tmp_path):
    p = create_project("Leaves", tmp_path / "p")
    p.update(data={"path": str(tmp_path / "photos"), "kind": "images"})
    p.save()
    assert load_project(p.folder).data["path"] == str(tmp_path / "photos")


def test_save_failure_is_a_plain_message(tmp_path, monkeypatch):
    p = create_project("Disk", tmp_path / "d")

    def refuse(*_a, **_k):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(proj, "atomic_write_json", refuse)
    p.update(device="esp32-s3")
    with pytest.raises(ProjectError, match="disk is not full"):
        p.save()
    assert p.dirty                      # still unsaved, so autosave tries again


def test_existing_project_folder_is_not_overwritten(tmp_path):
    create_project("One", tmp_path / "x")
    with pytest.raises(ProjectError, match="already holds a project"):
        create_project("Two", tmp_path / "x")


def test_recent_list_survives_damage_and_forgets(tmp_path, data_dir):
    a = create_project("A", tmp_path / "a")
    b = create_project("B", tmp_path / "b")
    assert [r["name"] for r in recent_projects()] == ["B", "A"]
    forget_recent(b.folder)
    assert [r["name"] for r in recent_projects()] == ["A"]
    (data_dir / "recent.json").write_text("{broken", encoding="utf-8")
    assert recent_projects() == []
    a.save()
    assert recent_projects()[0]["exists"]


def test_a_project_folder_moved_while_open_is_not_recreated_empty(tmp_path, monkeypatch):
    monkeypatch.setenv("EDGELING_DATA_DIR", str(tmp_path / "appdata"))
    p = create_project("Pumps", tmp_path / "Pumps")
    (tmp_path / "Pumps").rename(tmp_path / "Pumps moved")
    p.update(device="esp32-s3")
    with pytest.raises(ProjectError, match="no longer there") as e:
        p.save()
    assert "Open a project folder" in str(e.value)
    assert not (tmp_path / "Pumps").exists()          # no empty ghost in the old place
    assert load_project(tmp_path / "Pumps moved").name == "Pumps"


def test_hand_edited_values_are_read_as_unknown_not_a_crash(tmp_path, monkeypatch):
    import json

    monkeypatch.setenv("EDGELING_DATA_DIR", str(tmp_path / "appdata"))
    p = create_project("Edited", tmp_path / "Edited")
    (p.folder / "runs" / "run-001").mkdir(parents=True)
    raw = json.loads(p.file.read_text())
    raw.update(format="abc", runs=[{"id": "run-001", "folder": "runs/run-001", "best": "high"},
                                   {"id": "run-002", "folder": None}])
    p.file.write_text(json.dumps(raw))
    again = load_project(p.folder)
    assert [r["id"] for r in again.runs] == ["run-001"] and "best" not in again.runs[0]
    assert any("without a folder" in w for w in again.warnings)
    p.file.write_text('{"name": "Edited", "runs": [')
    with pytest.raises(ProjectError, match=r"cut short or was edited by hand near line 1\)") as e:
        load_project(p.folder)
    assert "JSONDecodeError" not in str(e.value)


def test_one_window_per_project_unless_the_user_says_the_other_is_not_real(tmp_path, monkeypatch):
    from edgeling.core.project import LOCK_FILE, claim, release_claim

    monkeypatch.setenv("EDGELING_DATA_DIR", str(tmp_path / "appdata"))
    p = create_project("Shared", tmp_path / "Shared")
    (p.folder / LOCK_FILE).write_text("1\n")           # process 1 is alive: another window holds it
    with pytest.raises(ProjectError, match="open in another Edgeling window") as e:
        claim(p)
    assert e.value.in_use
    claim(p, force=True)                               # "Open it here anyway"
    assert (p.folder / LOCK_FILE).read_text().split()[0] == str(os.getpid())
    release_claim(p)
    assert not (p.folder / LOCK_FILE).exists()
    (p.folder / LOCK_FILE).write_text("999999999\n")   # a window that crashed: taken over without a word
    claim(p)
    release_claim(p)


def test_an_unknown_device_is_said_when_the_project_opens(tmp_path):
    p = create_project("Pump", tmp_path / "pump")
    p.update(device="my-old-board")
    p.save()
    q = load_project(p.folder)
    assert any("'my-old-board' this project was made for is not among the devices" in w for w in q.warnings)
    p.update(device="esp32-s3")
    p.save()
    assert not load_project(p.folder).warnings


def test_a_data_path_that_is_no_path_is_said_as_such(tmp_path):
    p = create_project("Pump", tmp_path / "pump")
    p.save()
    raw = json.loads(p.file.read_text(encoding="utf-8"))
    p.file.write_text(json.dumps({**raw, "data": {"path": 42, "kind": "images"}}), encoding="utf-8")
    (p.folder / proj.BACKUP_FILE).unlink()
    q = load_project(p.folder)
    assert q.data == {} and q.warnings == ["The data path in project.json is not a path (42) and was ignored; "
                                           "choose your data again on the Data page."]
