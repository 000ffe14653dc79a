"""A label sheet's column that says who or what was recorded (``file,word,child``): each child's clips share a split,
cross-validation holds whole children out, and the results count each child's right answers. The speech
walks: the sheet's child column was never read, so clips named clip_001.wav were split one by one and the
test held clips of children the model had learnt from, unsaid."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import soundfile as sf

from edgeling.core.data import report as R
from edgeling.core.data.dataset import TEST
from edgeling.core.data.load import ImportOptions, open_dataset, with_fold


def write_sheet_clips(root: Path, children: int, header: str = "file,word,child", blank_child: bool = False) -> dict:
    """Two words by ``children`` children, two takes each, as clips/clip_NNN.wav (the names say nobody), and a
    sheet with the header ``header`` (its columns: file, then word and child in the header's order).
    Returns {file: child}."""
    rng = np.random.default_rng(0)
    (root / "clips").mkdir(parents=True)
    cols = header.split(",")
    rows, who = [header], {}
    n = 0
    for child in range(children):
        for k, word in enumerate(["oui", "non"]):
            for _take in range(2):
                name = f"clips/clip_{n:03d}.wav"
                n += 1
                tone = 0.3 * np.sin(2 * np.pi * (300 + 400 * k + 5 * child) * np.arange(1600) / 16000)
                sf.write(root / name, tone + 0.01 * rng.normal(size=1600), 16000)
                kid = f"enfant{child:02d}"
                values = {"file": name, cols[1]: word, cols[2]: kid}
                if blank_child and n in (1, 2):       # left blank, and a file name typed in the wrong column
                    values[cols[2]] = "" if n == 1 else "clip_001.wav"
                rows.append(",".join(values[c] for c in cols))
                who[name] = kid
    (root / "labels.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    return who


def test_a_sheet_s_child_column_keeps_each_child_s_clips_in_one_split(tmp_path, monkeypatch):
    monkeypatch.setenv("EDGELING_CACHE_DIR", str(tmp_path / "cache"))
    who = write_sheet_clips(tmp_path / "words", 24, blank_child=True)
    ds = open_dataset(tmp_path / "words", None, ImportOptions())
    assert ds.class_names == ["non", "oui"]
    (found,) = ds.report.by_code(R.GROUPED_BY_NAME)
    assert found.message.startswith("The column 'child' of labels.csv says who or what was recorded (enfant00, enfant01, "
                                    "enfant02, enfant03, ...: 24 in all). Each one's files are kept together")
    assert "rename its header in labels.csv" in found.advice
    assert not ds.report.by_code(R.NO_SUBJECTS_IN_NAMES)
    parts: dict = {}
    for source, part in zip(ds.sources, ds.splits.tolist()):
        if source not in ("clips/clip_000.wav", "clips/clip_001.wav"):
            parts.setdefault(who[source], set()).add(part)
    assert len(parts) == 24 and all(len(p) == 1 for p in parts.values())
    held = sorted(k for k, p in parts.items() if p == {TEST})
    assert held == ds.meta["subjects"]["test"] and len(held) == 2
    assert ds.meta["subjects"]["from"] == ds.meta["subjects_from"] == "the column 'child' of labels.csv"
    (blank,) = ds.report.by_code(R.UNNAMED_SUBJECT)
    assert blank.files == ["clips/clip_000.wav", "clips/clip_001.wav"]
    assert blank.message.startswith("2 files have no one named in the column 'child' of labels.csv (its cell is blank "
                                    "or holds a file name: clips/clip_000.wav, clips/clip_001.wav), so they were split "
                                    "one by one")       # the GUI walk: "no entry" where a file name was written
    assert blank.advice == "Fill in the column 'child' of labels.csv for each of them."
    assert len(ds.meta["subject_by_file"]) == 94
    again = open_dataset(tmp_path / "words", None, ImportOptions())        # from the cache: the same
    assert again.meta["subject_by_file"] == ds.meta["subject_by_file"] and (again.splits == ds.splits).all()


def test_the_word_is_the_label_when_the_speaker_column_comes_last(tmp_path, monkeypatch):
    """file,command,speaker: the last column had been taken as the label, giving one class per speaker."""
    monkeypatch.setenv("EDGELING_CACHE_DIR", str(tmp_path / "cache"))
    write_sheet_clips(tmp_path / "words", 5, header="file,command,Speaker ID")
    ds = open_dataset(tmp_path / "words", None, ImportOptions())
    assert ds.class_names == ["non", "oui"]
    (few,) = ds.report.by_code(R.FEW_SUBJECTS)
    assert few.message.startswith("The column 'Speaker ID' of labels.csv says who or what was recorded (enfant00, enfant01, "
                                  "enfant02, enfant03, enfant04: 5 in all). With fewer than 20, whole ones cannot")
    assert ds.meta["few_subjects"] == [f"enfant{c:02d}" for c in range(5)]


def test_cross_validation_holds_whole_children_of_the_sheet_out(tmp_path, monkeypatch):
    monkeypatch.setenv("EDGELING_CACHE_DIR", str(tmp_path / "cache"))
    who = write_sheet_clips(tmp_path / "words", 6)
    ds = open_dataset(tmp_path / "words", None, ImportOptions())
    tested = []
    for k in (1, 2, 3):
        fold = with_fold(ds, f"{k}/3")
        test = {who[s] for s, part in zip(fold.sources, fold.splits.tolist()) if part == TEST}
        others = {who[s] for s, part in zip(fold.sources, fold.splits.tolist()) if part != TEST}
        assert len(test) == 2 and not test & others
        assert fold.meta["subjects"]["test"] == sorted(test)
        assert fold.meta["subjects"]["from"] == "the column 'child' of labels.csv"
        tested += sorted(test)
    assert sorted(tested) == [f"enfant{c:02d}" for c in range(6)]


def test_each_child_s_right_answers_are_counted_by_the_sheet(tmp_path):
    from edgeling.core.training.crossval import _pooled_right
    from edgeling.core.training.metrics import per_subject_right
    from edgeling.core.training.other_files import labelled_samples
    from edgeling.core.training.other_files_subjects import by_subject as _by_subject

    by_file = {"clips/clip_000.wav": "enfant00", "clips/clip_001.wav": "enfant00", "clips/clip_002.wav": "enfant01"}
    right = per_subject_right(list(by_file) + ["clips/clip_009.wav"], [True, False, True, True], ["enfant00", "enfant01"],
                              by_file)
    assert right == {"enfant00": {"samples": 2, "right": 1}, "enfant01": {"samples": 1, "right": 1}}
    assert _pooled_right([{"right": {"b": {"samples": 2, "right": 1}}}, {"right": {"a": {"samples": 3, "right": 3}}}]) \
        == {"a": {"samples": 3, "right": 3}, "b": {"samples": 2, "right": 1}}
    assert _pooled_right([{"right": {"b": {"samples": 2, "right": 1}}}, {"test": ["a"]}]) is None
    # evaluate --on a folder labelled by a sheet: each child of the sheet is scored
    who = write_sheet_clips(tmp_path / "new", 5)
    got = labelled_samples(tmp_path / "new", "audio", "classification", ["non", "oui"],
                           {"sample_rate": 16000, "clip_s": 0.1})
    assert got.subjects == who and got.subjects_from == "the column 'child' of labels.csv"
    result: dict = {"accuracy": 1.0, "num_samples": len(got.y)}
    _by_subject(result, got, "audio", np.ones(len(got.y), bool))
    assert result["subjects"]["test"] == [f"enfant{c:02d}" for c in range(5)]
    assert result["subjects"]["right"]["enfant03"] == {"samples": 4, "right": 4}
    assert result["subjects"]["from"] == "the column 'child' of labels.csv"


def test_the_results_say_the_sheet_told_who_was_who():
    from edgeling.core.results_words import subjects_sentence

    sub = {"count": 24, "test": ["enfant03", "enfant07"], "who": "speaker", "unnamed": 1,
           "from": "the column 'child' of labels.csv"}
    said = subjects_sentence({"subjects": sub, "split": "test"})
    assert said.startswith("The split keeps each speaker's files together, read from the column 'child' of "
                           "labels.csv: the 2 of 24 in the test split (enfant03, enfant07)")
    assert "Not so for 1 file with no one named in the column 'child' of labels.csv: it was split one by one." in said
    said = subjects_sentence({"subjects": {**sub, "from": None}, "split": "test"})
    assert "read from the file names" in said and "whose name does not say whose it is" in said
    on = subjects_sentence({"subjects": sub, "split": "other files"})
    assert on.startswith("Read from the column 'child' of labels.csv, these files are from 2 speakers.")
    met = subjects_sentence({"subjects": {**sub, "learnt": ["enfant07"]}, "split": "other files"})
    assert met.startswith("Read from the column 'child' of labels.csv, these files are from 2 speakers. 1 of them "
                          "was in the run's training data (enfant07), so on them the model is not meeting new speakers.")


def test_a_run_records_the_speakers_it_learnt_from(tmp_path, monkeypatch):
    """The speech walk: a new session of 36 of the same 40 children was said to be all new."""
    from edgeling.core.training.setup import learnt_subjects

    monkeypatch.setenv("EDGELING_CACHE_DIR", str(tmp_path / "cache"))
    who = write_sheet_clips(tmp_path / "words", 24)
    ds = open_dataset(tmp_path / "words", None, ImportOptions())
    learnt = learnt_subjects(ds)
    held = set(ds.meta["subjects"]["test"])
    assert learnt and not held & set(learnt) and set(learnt) | held == set(who.values())


def test_the_held_out_finding_says_speaker_for_clips(tmp_path, monkeypatch):
    """The GUI walk: children's clips were held out "as a new speaker or a new machine would be"."""
    monkeypatch.setenv("EDGELING_CACHE_DIR", str(tmp_path / "cache"))
    write_sheet_clips(tmp_path / "words", 24)
    (found,) = open_dataset(tmp_path / "words", None, ImportOptions()).report.by_code(R.GROUPED_BY_NAME)
    assert found.message.endswith("that the model never learnt from, as a new speaker would be.")


def _leaf_sheet(root: Path, header: str) -> None:
    """Photos of two diagnoses from three parcels, flat in one folder, and a ``;`` sheet ``header`` (file first)."""
    from PIL import Image

    root.mkdir(parents=True)
    rows = [header]
    rng = np.random.default_rng(0)
    for i in range(24):
        sick = i % 2
        pixels = rng.integers(0, 90, (32, 32, 3)) + np.array([40 + 120 * sick, 150, 40])
        Image.fromarray(pixels.clip(0, 255).astype(np.uint8)).save(root / f"IMG_{i:04d}.png")
        rows.append(f"IMG_{i:04d}.png;{'mildiou' if sick else 'sain'};Parcelle {i % 3 + 1}")
    (root / "labels.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")


def test_a_vineyard_sheet_learns_the_diagnosis_and_keeps_each_parcel_together(tmp_path, monkeypatch):
    """The vineyard walk: file;diagnosis;parcel learnt the three parcels (the last column), and said nothing."""
    monkeypatch.setenv("EDGELING_CACHE_DIR", str(tmp_path / "cache"))
    _leaf_sheet(tmp_path / "flat", "file;diagnosis;parcel")
    ds = open_dataset(tmp_path / "flat", None, ImportOptions())
    assert ds.class_names == ["mildiou", "sain"] and ds.meta["sheet_label_column"] == "diagnosis"
    assert ds.meta["sheet_columns"] == ["diagnosis", "parcel"]
    assert ds.meta["subjects_from"] == "the column 'parcel' of labels.csv"      # the parcels: who, not what
    assert not ds.report.by_code(R.LABEL_COLUMN_GUESSED)


def test_a_label_column_taken_by_its_place_is_said_with_the_others(tmp_path, monkeypatch):
    monkeypatch.setenv("EDGELING_CACHE_DIR", str(tmp_path / "cache"))
    _leaf_sheet(tmp_path / "flat", "photo;Befund;Reihe")          # no header Edgeling knows
    ds = open_dataset(tmp_path / "flat", None, ImportOptions())
    assert ds.class_names == ["Parcelle 1", "Parcelle 2", "Parcelle 3"]     # the last column, as before, but said:
    (said,) = ds.report.by_code(R.LABEL_COLUMN_GUESSED)
    assert said.severity == "warning" and said.message == (
        "labels.csv has 2 columns besides the file names (Befund, Reihe), and none has a name Edgeling takes for "
        "labels (such as 'label', 'class' or 'diagnosis'), so the classes were read from the last one, 'Reihe'.")
    assert "--target Befund" in said.advice and ds.meta["sheet_columns"] == ["Reihe", "Befund"]
    chosen = open_dataset(tmp_path / "flat", None, ImportOptions(target="Befund"))
    assert chosen.report.by_code(R.LABEL_COLUMN_GUESSED) == []
    assert chosen.class_names == ["mildiou", "sain"] and not chosen.report.by_code(R.LABEL_COLUMN_GUESSED)


def test_a_guessed_label_column_beside_a_who_column_counts_every_column(tmp_path, monkeypatch):
    """The review: file;leaf_state;colour;parcel said "2 columns besides the file names ... the last one,
    'colour'": there are three, and parcel (who) is the last."""
    monkeypatch.setenv("EDGELING_CACHE_DIR", str(tmp_path / "cache"))
    _leaf_sheet(tmp_path / "flat", "file;leaf_state;parcel")
    text = (tmp_path / "flat" / "labels.csv").read_text(encoding="utf-8").splitlines()
    rows = [text[0].replace(";parcel", ";colour;parcel")] + [
        ";".join(r.split(";")[:2] + [("vert", "jaune")[k % 2], r.split(";")[2]]) for k, r in enumerate(text[1:])]
    (tmp_path / "flat" / "labels.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    (said,) = open_dataset(tmp_path / "flat", None, ImportOptions()).report.by_code(R.LABEL_COLUMN_GUESSED)
    assert said.message == ("labels.csv has 3 columns besides the file names (leaf_state, colour, parcel), and none has "
                            "a name Edgeling takes for labels (such as 'label', 'class' or 'diagnosis'), so the "
                            "classes were read from the last one that does not say who was recorded, 'colour'.")


def test_accented_label_and_who_headers_are_found(tmp_path, monkeypatch):
    """The review: 'catégorie' and 'categoría' were not taken as label columns (the names are listed unaccented)."""
    monkeypatch.setenv("EDGELING_CACHE_DIR", str(tmp_path / "cache"))
    _leaf_sheet(tmp_path / "flat", "Fichier;Note;Catégorie")
    text = (tmp_path / "flat" / "labels.csv").read_text(encoding="utf-8").splitlines()   # the label in the middle
    rows = [text[0]] + [";".join([r.split(";")[0], r.split(";")[2], r.split(";")[1]]) for r in text[1:]]
    (tmp_path / "flat" / "labels.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    ds = open_dataset(tmp_path / "flat", None, ImportOptions())
    assert ds.meta["sheet_label_column"] == "Catégorie" and not ds.report.by_code(R.LABEL_COLUMN_GUESSED)
    typed = open_dataset(tmp_path / "flat", None, ImportOptions(target="categorie"))     # typed without accent
    assert typed.meta["sheet_label_column"] == "Catégorie"


def test_a_sheet_of_files_and_who_only_says_the_classes_are_who(tmp_path, monkeypatch):
    """The regression walk: file;parcel trained on the parcels, silently."""
    monkeypatch.setenv("EDGELING_CACHE_DIR", str(tmp_path / "cache"))
    _leaf_sheet(tmp_path / "flat", "file;diagnosis;parcel")
    text = (tmp_path / "flat" / "labels.csv").read_text(encoding="utf-8").splitlines()
    (tmp_path / "flat" / "labels.csv").write_text("\n".join(
        ";".join([r.split(";")[0], r.split(";")[2]]) for r in text) + "\n", encoding="utf-8")
    ds = open_dataset(tmp_path / "flat", None, ImportOptions())
    assert ds.class_names == ["Parcelle 1", "Parcelle 2", "Parcelle 3"]
    (said,) = ds.report.by_code(R.LABEL_COLUMN_GUESSED)
    assert said.message.startswith("The only column of labels.csv besides the file names, 'parcel', says who or what")


def test_a_sheet_whose_lines_end_with_a_separator_is_read(tmp_path, monkeypatch):
    """The regression walk: bild,zustand, (an empty last column, as some exports write) was refused."""
    monkeypatch.setenv("EDGELING_CACHE_DIR", str(tmp_path / "cache"))
    _leaf_sheet(tmp_path / "flat", "bild;zustand;parcel")
    text = (tmp_path / "flat" / "labels.csv").read_text(encoding="utf-8").splitlines()
    (tmp_path / "flat" / "labels.csv").write_text("\n".join(
        ",".join(r.split(";")[:2]) + "," for r in text) + "\n", encoding="utf-8")
    ds = open_dataset(tmp_path / "flat", None, ImportOptions())
    assert ds.class_names == ["mildiou", "sain"] and not ds.report.by_code(R.LABEL_COLUMN_GUESSED)


def test_three_parcels_named_by_a_sheet_are_said_as_too_few_to_hold_out(tmp_path, monkeypatch):
    """The regression walk: with 3 parcels (names found in file names need 4) nothing said the test holds parcels
    the model learnt from, and cross-validation mixed them."""
    monkeypatch.setenv("EDGELING_CACHE_DIR", str(tmp_path / "cache"))
    _leaf_sheet(tmp_path / "flat", "file;diagnosis;parcel")
    ds = open_dataset(tmp_path / "flat", None, ImportOptions())
    (few,) = ds.report.by_code(R.FEW_SUBJECTS)
    assert few.message.startswith("The column 'parcel' of labels.csv says who or what was recorded (Parcelle 1, "
                                  "Parcelle 2, Parcelle 3: 3 in all).")
    assert ds.meta["few_subjects"] == ["Parcelle 1", "Parcelle 2", "Parcelle 3"]


def test_photos_held_out_by_parcel_are_said_as_photographed_subjects():
    from edgeling.core.export.model_card import shareable_metrics
    from edgeling.core.results_words import CROSSVAL_SPLIT, subjects_sentence

    m = {"split": CROSSVAL_SPLIT, "subjects": {"test": ["Parcelle 1", "Parcelle 2"], "who": "subject",
                                               "from": "the column 'parcel' of labels.csv", "right": {}}}
    assert subjects_sentence(m).startswith("Each photographed subject's files were kept together, read from the "
                                           "column 'parcel' of labels.csv")      # not "speaker's (or machine's)"
    assert shareable_metrics(m)["subjects"]["test"] == ["subject 1", "subject 2"]


def test_cross_validation_asked_no_number_of_parts_holds_each_of_3_parcels_out(tmp_path, monkeypatch):
    """The regression walk: with 3 parcels said too few to hold out, crossval with no --parts failed "too few for
    5 parts"; it now makes one part for each."""
    from edgeling.core.jobs.context import JobContext
    from edgeling.core.training.crossval import DEFAULT_FOLDS, _default_parts

    monkeypatch.setenv("EDGELING_CACHE_DIR", str(tmp_path / "cache"))
    _leaf_sheet(tmp_path / "flat", "file;diagnosis;parcel")
    said = []
    ctx = JobContext(lambda e: None)
    ctx.log = said.append
    assert _default_parts({"data": str(tmp_path / "flat")}, ctx) == 3
    assert said and said[0].startswith("3 parts, one for each of the 3 named by the column 'parcel' of labels.csv")
    (tmp_path / "flat" / "labels.csv").write_text("file;diagnosis\n" + "".join(
        f"IMG_{i:04d}.png;{'mildiou' if i % 2 else 'sain'}\n" for i in range(24)), encoding="utf-8")
    assert _default_parts({"data": str(tmp_path / "flat")}, ctx) == DEFAULT_FOLDS


def test_a_test_on_other_files_counts_each_of_3_parcels_a_sheet_names():
    """The review: the import says 3 parcels named by a sheet, but evaluate --on needed 4 to count each."""
    from types import SimpleNamespace

    from edgeling.core.training.other_files_subjects import by_subject

    sources = [f"IMG_{i}.png" for i in range(12)]
    got = SimpleNamespace(sources=sources, y=np.zeros(12, int), subjects={s: f"P{i % 3}" for i, s in enumerate(sources)},
                          subjects_from="the column 'parcel' of labels.csv")
    result = {"accuracy": 0.75, "num_samples": 12}
    by_subject(result, got, "images", np.array([True] * 9 + [False] * 3))
    assert result["subjects"]["test"] == ["P0", "P1", "P2"] and result["subjects"]["who"] == "subject"


def test_two_who_columns_and_no_label_are_said_as_two(tmp_path, monkeypatch):
    """The review: file,parcelle,site was said as "The only column ... 'site'"."""
    monkeypatch.setenv("EDGELING_CACHE_DIR", str(tmp_path / "cache"))
    _leaf_sheet(tmp_path / "flat", "file;diagnosis;parcel")
    text = (tmp_path / "flat" / "labels.csv").read_text(encoding="utf-8").splitlines()
    rows = ["file;parcelle;site"] + [";".join([r.split(";")[0], r.split(";")[2], ("A", "B")[k % 2]])
                                     for k, r in enumerate(text[1:])]
    (tmp_path / "flat" / "labels.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    (said,) = open_dataset(tmp_path / "flat", None, ImportOptions()).report.by_code(R.LABEL_COLUMN_GUESSED)
    assert said.message.startswith("The columns of labels.csv besides the file names (parcelle, site) all say who or "
                                   "what was recorded, so the classes were read from the last, 'site'")


def test_per_speaker_files_are_pointed_to_as_written_when_saved():
    """The speech walk: the Evaluate page pointed to per_speaker.csv before "Save results…" had written it."""
    from edgeling.core.results_words import CROSSVAL_SPLIT, subjects_sentence

    names = [f"child{i:02d}" for i in range(30)]       # enough of them to be said from the lowest to the highest
    sub = {"test": names, "who": "speaker", "count": 30,
           "right": {n: {"samples": 4, "right": 1 + i % 4} for i, n in enumerate(names)}}
    assert "(each one in results.md and per_speaker.csv when the results are saved)" in subjects_sentence(
        {"subjects": sub, "split": "test"})
    assert subjects_sentence({"subjects": sub, "split": CROSSVAL_SPLIT}).endswith(
        "(each one in results.md and per_speaker.csv).")       # cross-validation writes them itself
