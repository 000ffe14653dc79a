"""A CSV or TSV in a dataset folder that names each file's label (pictures or sound clips): ``file,label``,
with or without a header, in any of the usual separators and encodings.

A label CSV may name files in subfolders, but never anything outside the dataset folder: ``../x.png``,
absolute paths and web addresses are reported and never read (a full path written on another computer is
matched by the end of its path, inside the folder only). Labels are read in one Unicode form (NFC), as class
folder names are: an accented label typed on a Mac is the same class. Labels differing only in capitals
('Mildew', 'mildew') stay two classes, with a warning.
"""

from __future__ import annotations

import csv
import io
import os
import posixpath
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from edgeling.core.data import report as R
from edgeling.core.data.dataset import DataError
from edgeling.core.data.ordering import natural_order, order_by_class, report_labels_differing_in_case
from edgeling.core.sentences import counted, verb
from edgeling.core.terminal_hint import in_terminal

LABEL_TABLE_EXTS = {".csv", ".tsv"}
LABEL_NAMES = ("label", "labels", "class", "class_name", "classname", "category", "target", "y", "tag", "word",
               "diagnosis", "diagnostic", "diagnose", "disease", "maladie", "species", "klasse", "kategorie",
               "clase", "categoria", "categorie", "etiqueta", "etiquette", "state", "condition", "status", "activity")
WHO_NAMES = frozenset({
    "speaker", "speaker_id", "child", "child_id", "subject", "subject_id", "participant", "participant_id", "person",
    "person_id", "patient", "patient_id", "who", "kid", "talker", "machine", "machine_id", "pump", "pump_id",
    "enfant", "locuteur", "sujet", "participante", "sprecher", "proband", "hablante", "nino",
    "parcel", "parcelle", "plot", "vineyard", "field", "site"})
"""Header names of a column that says who (or which machine, or which field) was recorded: each one's files then
share a split (photos of one vineyard plot are alike as one child's clips are)."""


@dataclass(frozen=True)
class Media:
    """What the files a label table names are, in words: ("image", "images", their extensions, an example)."""
    noun: str
    nouns: str
    exts: frozenset
    example: str


@dataclass
class Listing:
    files: list[tuple[str, str]] = field(default_factory=list)
    """(path relative to the root with forward slashes, class name), in a stable order."""
    class_names: list[str] = field(default_factory=list)
    labels_from: str = "folders"
    """"folders", or the name of the label CSV."""
    subjects: dict[str, str] = field(default_factory=dict)
    """Who each file was recorded from (path as in ``files`` -> name), from the sheet's ``subjects_column``."""
    subjects_column: str = ""
    """The header of the sheet's column that says who was recorded (``WHO_NAMES``), or ""."""
    label_column: str = ""
    """The header of the sheet's column the labels were read from ("" without a header)."""
    columns: list[str] = field(default_factory=list)
    """The sheet's columns a label could be read from (all but the file names'), the label column first."""

    def label_meta(self) -> dict:
        """``{"sheet_label_column": ..., "sheet_columns": [...]}`` for an import's meta, so a test on other files
        labelled by a sheet reads the same column (the review: a run trained on 'fault' was tested on the sheet's
        'state'), and the app can offer the others as the column to predict (the vineyard walk)."""
        if self.labels_from == "folders" or not self.label_column:
            return {}
        return {"sheet_label_column": self.label_column, **({"sheet_columns": self.columns} if self.columns else {})}

    def sheet_subjects(self) -> tuple[dict[str, str], str, str] | None:
        """(who each file is, the column that says it, the sheet) for ``checks.finish_dataset``; None without."""
        return (self.subjects, self.subjects_column, self.labels_from) if self.subjects else None


def _read_text(path: Path, head: int | None = None) -> str:
    if head is None:
        data = path.read_bytes()
    else:
        with open(path, "rb") as f:
            data = f.read(head)
        data = data[:data.rfind(b"\n") + 1] or data      # whole lines only (and no character cut in two)
    for enc in ("utf-8-sig", "cp1252", "latin-1"):
        try:
            return data.decode(enc)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")  # pragma: no cover - latin-1 decodes every byte


def _rows(text: str, tsv: bool) -> list[list[str]]:
    try:
        dialect = csv.Sniffer().sniff(text[:8192], delimiters="\t" if tsv else ",;\t|")
        delimiter = dialect.delimiter
    except csv.Error:
        delimiter = "\t" if tsv else ","
    rows = [[c.strip() for c in r] for r in csv.reader(io.StringIO(text), delimiter=delimiter)]
    return [r for r in rows if any(r)]


def read_rows(path: Path, head: int | None = None) -> list[list[str]]:
    """The rows of a CSV or TSV (of its first ``head`` bytes only, when given), each field stripped; [] when it
    is no readable table."""
    try:
        return _rows(_read_text(path, head), path.suffix.lower() == ".tsv")
    except csv.Error:
        return []


def _looks_like_a_file(v: str, media: Media) -> bool:
    return os.path.splitext(v.strip().lower())[1] in media.exts


def _outside(name: str) -> bool:
    if name.startswith("/") or re.match(r"^[A-Za-z]:", name) or "://" in name:
        return True
    norm = posixpath.normpath(name)
    return norm == ".." or norm.startswith("../")


def _by_tail(name: str, resolve, files: list[str]) -> str | None:
    """A file inside the folder that a full path from elsewhere names: the longest end of the path that is a
    file here ("C:\\Users\\Hans\\Bilder\\Retouren\\Bild 000.png" -> "Retouren/Bild 000.png", or "Bild 000.png").
    Nothing outside the folder is read: only its own files are matched (the shop walk: a label CSV written on
    Windows with full paths gave "does not give a label to any image", though all 80 were in the folder).
    None for "../" paths and web addresses, which stay refused."""
    plain = name.replace("\\", "/")
    if "://" in plain or posixpath.normpath(plain).startswith(".."):
        return None
    parts = [p for p in plain.split("/") if p and not re.match(r"^[A-Za-z]:$", p)]
    for start in range(len(parts)):
        tail = "/".join(parts[start:])
        if ".." in parts[start:]:
            return None
        hit = resolve(tail)
        if hit is not None:
            return hit
    base = _folded(parts[-1]) if parts else ""
    same = [p for p in files if _folded(p.rsplit("/", 1)[-1]) == base]
    return same[0] if base and len(same) == 1 else None     # in a subfolder here: by its name, when unique


def _folded(name: str) -> str:
    return unicodedata.normalize("NFC", name).lower()


def from_label_table(root: Path, table: str, images: list[str], report: R.Report, label_column: str | None,
                     media: Media) -> Listing | None:
    """The files ``table`` (a CSV or TSV in ``root``) gives a label, or None when it is no label table (no
    column of which half the values name a file). ``images``: the media files in the folder, relative paths
    with forward slashes."""
    try:
        rows = _rows(_read_text(root / table), table.lower().endswith(".tsv"))
    except (OSError, csv.Error):
        return None
    if len(rows) < 2:
        return None
    width = max(len(r) for r in rows)
    if width < 2:
        return None
    on_disk = set(images)
    lower = {}   # also in one Unicode form: a name typed on Windows finds the file copied from a Mac
    for p in images:
        lower.setdefault(_folded(p), []).append(p)
    stems = {}
    for p in images:
        stems.setdefault(_folded(os.path.splitext(p)[0]), []).append(p)

    def resolve(name: str) -> str | None:
        name = posixpath.normpath(name.replace("\\", "/"))
        if name in on_disk:
            return name
        for table_of in (lower, stems):
            hits = table_of.get(_folded(name), [])
            if len(hits) == 1:
                return hits[0]
        return None

    header = rows[0]
    has_header = not any(_looks_like_a_file(c, media) or resolve(c) for c in header if c)
    body = rows[1:] if has_header else rows
    scores = []
    for col in range(width):
        vals = [r[col] for r in body if col < len(r) and r[col]]
        hits = sum(1 for v in vals if _looks_like_a_file(v, media) or resolve(v) or _outside(v))
        scores.append(hits / max(1, len(body)))
    name_col = max(range(width), key=lambda c: scores[c])
    if scores[name_col] < 0.5:
        return None
    names = [h.strip().lower() for h in header] if has_header else []
    words = [_header_word(n) for n in names]     # as the label and who names are matched: accents aside
    label_col = None
    if label_column is not None and has_header and _header_word(label_column) in words:
        label_col = words.index(_header_word(label_column))      # --target categorie finds 'Catégorie' too
    elif label_column is not None:
        raise DataError(f"{root / table} has no column named {label_column!r}. Its columns are: "
                        f"{', '.join(header) if has_header else '(no header row)'}. Choose one of them.")
    if label_col is None:
        preferred = sorted((i for i, w in enumerate(words) if w in LABEL_NAMES and i != name_col),
                           key=lambda i: LABEL_NAMES.index(words[i]))    # file,status,label: the label (the review)
        filled = [i for i in range(width) if i != name_col and any(i < len(r) and r[i].strip() for r in body)]
        others = filled or [i for i in range(width) if i != name_col]   # bild,zustand, : not the empty last one
        not_who = [i for i in others if not (names and _header_word(names[i]) in WHO_NAMES)]
        only_who = not not_who and has_header      # file,speaker: the speakers are the classes (said, below)
        others = not_who or others      # file,command,speaker: the command is the label, not the speaker
        label_col = preferred[0] if preferred else others[-1] if len(others) > 1 else others[0]
        if not preferred and (len(others) > 1 or only_who) and has_header:
            _say_label_guessed(table, [header[i].strip() for i in others if header[i].strip()] if only_who else
                               [header[i].strip() for i in range(width) if i != name_col and header[i].strip()],
                               [header[i].strip() for i in others], header[label_col].strip(), report, media,
                               only_who)
    if label_col == name_col:
        raise DataError(f"In {root / table} the label column {label_column!r} is the column of file names. "
                        f"Choose the column that holds the class of each {media.noun}.")
    listing = _listing_from_rows(table, body, name_col, label_col, has_header, images, resolve, report, media)
    listing.label_column = header[label_col].strip() if has_header else ""
    if has_header:
        listing.columns = [header[i].strip() for i in [label_col, *range(width)] if i != name_col and i < len(header)
                           and header[i].strip()]
        listing.columns = list(dict.fromkeys(listing.columns))
    who_col = next((i for i, n in enumerate(names) if _header_word(n) in WHO_NAMES and i not in (name_col, label_col)),
                   None)
    if who_col is not None:     # the speech walk: a sheet of file, word, child; the children were never read
        listing.subjects_column = header[who_col]
        listing.subjects = _who_by_file(body, name_col, who_col, resolve, images,
                                         {rel for rel, _ in listing.files}, media)
    return listing


def _say_label_guessed(table: str, columns: list[str], candidates: list[str], taken: str, report: R.Report,
                       media: Media, only_who: bool = False) -> None:
    """The vineyard walk: file;diagnosis;parcel learnt the parcels (the last column), and nothing said so.
    ``columns``: all but the file names'; ``candidates``: those that do not say who was recorded;
    ``only_who``: the one column besides the file names says who (file,parcel: the regression walk)."""
    if only_who:
        said = (f"The only column of {table} besides the file names, '{taken}', says who or what was recorded, so "
                "the classes were read from it" if len(columns) == 1 else
                f"The columns of {table} besides the file names ({', '.join(columns)}) all say who or what was "
                f"recorded, so the classes were read from the last, '{taken}'")     # file,parcelle,site (the review)
        report.add(R.LABEL_COLUMN_GUESSED, f"{said}: the model learns to tell each '{taken}' apart.",
                   f"If the {media.nouns} should be told apart by something else, add that column to {table} (call "
                   "it 'label').", severity="warning")
        return
    other = next((c for c in candidates if c != taken), "")
    last = "the last one" if taken == columns[-1] else "the last one that does not say who was recorded"
    report.add(R.LABEL_COLUMN_GUESSED,
               f"{table} has {len(columns)} columns besides the file names ({', '.join(columns)}), and none has a name "
               f"Edgeling takes for labels (such as 'label', 'class' or 'diagnosis'), so the classes were read from "
               f"{last}, '{taken}'.",
               f"If the {media.nouns} should be told apart by another column, choose it as the column to predict"
               f"{in_terminal(f'--target {other!r}' if ' ' in other else f'--target {other}')}, or call that column "
               f"'label' in {table}.", severity="warning")


def _header_word(name: str) -> str:
    """'Speaker ID' -> 'speaker_id', 'Enfant' -> 'enfant', 'Catégorie' -> 'categorie': a header as
    ``WHO_NAMES`` and ``LABEL_NAMES`` spell it, without accents (the review: 'catégorie' was not found)."""
    plain = "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c))
    return re.sub(r"[\s\-.]+", "_", plain.strip().lower()).strip("_")


def _who_by_file(body, name_col: int, who_col: int, resolve, images: list[str], used: set[str],
                 media: Media) -> dict[str, str]:
    """{file: who} for the used files whose row fills the who column (NFC, as labels are)."""
    out = {}
    for row in body:
        name = row[name_col] if name_col < len(row) else ""
        who = row[who_col] if who_col < len(row) else ""
        if not (name and who) or _looks_like_a_file(who, media):
            continue        # a file name in the who column (the regression walk): no one, so said as unnamed
        rel = _by_tail(name, resolve, images) if _outside(name.replace("\\", "/")) else resolve(name)
        if rel in used:
            out[rel] = unicodedata.normalize("NFC", who)
    return out


def _listing_from_rows(table, body, name_col, label_col, has_header, images, resolve, report, media: Media):
    first_row = 2 if has_header else 1
    files, used = [], set()
    outside, missing, unlabelled_rows, by_tail = [], [], [], []
    for i, row in enumerate(body):
        name = row[name_col] if name_col < len(row) else ""
        label = row[label_col] if label_col < len(row) else ""
        if not name:
            continue
        rel = None
        if _outside(name.replace("\\", "/")):
            rel = _by_tail(name, resolve, images)
            if rel is None:
                outside.append(name)
                continue
            by_tail.append(name)
        rel = rel or resolve(name)
        if rel is None:
            missing.append(name)
            continue
        if not label:
            unlabelled_rows.append(f"{table} row {first_row + i}: {name}")
            used.add(rel)
            continue
        files.append((rel, unicodedata.normalize("NFC", label)))   # 'oïdium' typed on a Mac is 'oïdium'
        used.add(rel)
    if by_tail:
        report.add(R.PATH_OUTSIDE_FOLDER,
                   f"{table} names {counted(len(by_tail), 'file')} by a full path from another computer or folder (such as "
                   f"{by_tail[0]}); each was found in the folder you chose by the end of its path, and only there.",
                   "Nothing to do. Edgeling reads only files inside the folder you chose.", files=by_tail[:50],
                   severity="info")
    if outside:
        report.add(R.PATH_OUTSIDE_FOLDER,
                   f"{table} names {counted(len(outside), 'file')} outside the dataset folder. Edgeling only reads "
                   "files inside the folder you chose, so these were not read.",
                   f"Copy those {media.nouns} into the dataset folder and write their names relative to it "
                   f"(for example {media.example}).", files=outside, severity="warning")
    if missing:
        report.add(R.MISSING_FILE,
                   f"{table} lists {counted(len(missing), 'file')} that {verb(len(missing), 'is', 'are')} not in "
                   "the folder.",
                   f"Check the spelling of the file names in the table, or copy the missing {media.nouns} in.",
                   files=missing, severity="warning")
    if unlabelled_rows:
        report.add(R.MISSING_VALUES,
                   f"{counted(len(unlabelled_rows), 'row')} of {table} {verb(len(unlabelled_rows), 'has', 'have')} "
                   f"no label, so {verb(len(unlabelled_rows), f'that {media.noun} was', f'those {media.nouns} were')} "
                   "not used.",
                   "Fill in the label for each of them in the table.", files=unlabelled_rows,
                   severity="warning")
    not_listed = [p for p in images if p not in used]
    if not_listed:
        report.add(R.UNLABELLED_FILE,
                   f"{counted(len(not_listed), media.noun)} in the folder {verb(len(not_listed), 'is', 'are')} not "
                   f"listed in {table}, so Edgeling does not know "
                   f"{verb(len(not_listed), 'its class. It was', 'their class. They were')} not used.",
                   f"Add a row for each of them to {table}, or move them out of the folder.",
                   files=sorted(not_listed, key=natural_order), severity="warning")
    class_names, files = order_by_class(files)
    report_labels_differing_in_case(Counter(c for _, c in files), f"in {table}", (media.noun, media.nouns), report)
    return Listing(files=files, class_names=class_names, labels_from=table)
