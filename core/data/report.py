"""The data-quality report: every finding has a stable code, plain words, what to do, and the files."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

# Stable codes (the CLI's --json output and the GUI rely on them).
CORRUPT_FILE = "corrupt_file"
EMPTY_FILE = "empty_file"
DUPLICATE = "duplicate"
DUPLICATE_ACROSS_LABELS = "duplicate_across_labels"
NEAR_DUPLICATE = "near_duplicate"            # a photo that looks like another of its class saved again
NEAR_DUPLICATE_ACROSS_LABELS = "near_duplicate_across_labels"  # ... like one under another label
CLASS_IMBALANCE = "class_imbalance"
MISSING_VALUES = "missing_values"
TARGET_GUESSED = "target_guessed"            # no column to predict chosen, and the last one could not be it
CONSTANT_COLUMN = "constant_column"
SAMPLE_RATE_MISMATCH = "sample_rate_mismatch"
LENGTH_MISMATCH = "length_mismatch"
LONG_RECORDING = "long_recording"            # sound: a recording much longer than a clip (one stretch heard)
RECORDINGS_CUT = "recordings_cut"            # sound: long recordings of an ongoing sound cut into clips
SIZE_MISMATCH = "size_mismatch"
TOO_FEW_SAMPLES = "too_few_samples"
ENCODING_FALLBACK = "encoding_fallback"
RAGGED_ROWS = "ragged_rows"
NOTES_SKIPPED = "notes_skipped"              # a logger's notes above its table ("# firmware 2.4.1"), skipped
CUT_OFF_ROW = "cut_off_row"                  # a CSV's last line stops mid-way (the file was cut off)
REPEATED_TIMESTAMPS = "repeated_timestamps"  # readings whose timestamp an earlier one already has
UNLABELLED_FILE = "unlabelled_file"
CHANNEL_MISMATCH = "channel_mismatch"
STUCK_SENSOR = "stuck_sensor"                # a second or more of readings that do not change at all
UNITS_MIXED = "units_mixed"                  # an accelerometer in m/s^2 in some recordings, in g in most
GRAVITY_MISSING = "gravity_missing"          # an accelerometer reading about 0 at rest where the others read 1 g
CHANNELS_MATCHED = "channels_matched"        # axes named "acc_x" in some recordings and "x" in others: one channel
DROPPED_COLUMN = "dropped_column"
CLASSES_ONE_LEVEL_DOWN = "classes_one_level_down"  # the folder chosen holds the class folders' parent
COLUMNS_RENAMED = "columns_renamed"          # a column named twice, or not at all, got a name of its own
THOUSANDS_DOTS = "thousands_dots"            # "1.299" read as 1299 in a file with decimal commas
# images / audio importers
MISSING_FILE = "missing_file"                # listed in a label CSV but not on disk
PATH_OUTSIDE_FOLDER = "path_outside_folder"  # a label CSV names a file outside the dataset folder
IGNORED_FILE = "ignored_file"                # files that are not data by their name and were not read
SMALL_IMAGE = "small_image"
BLURRY_IMAGE = "blurry_image"                # photos much blurrier than their class, or of one flat colour
STEREO_MIXED_DOWN = "stereo_mixed_down"
SILENT_CLIP = "silent_clip"
TOO_LOUD = "too_loud"                        # float files beyond full scale, cut there
CLIPPED_CLIP = "clipped_clip"                # recordings clipped when recorded (many samples at the limit)
CUT_OFF_FILE = "cut_off_file"                # a WAV whose header promises more sound than the file holds
SHORT_CLIP = "short_clip"                    # a clip far shorter than the clip length (a click, a false start)
SAME_FOLDER_NAME = "same_folder_name"        # two class folders named alike in two Unicode forms: one class
# class folders "Yes" and "yes": two classes (as on Linux), but one folder on Windows and macOS
FOLDER_NAMES_DIFFER_IN_CASE = "folder_names_differ_in_case"
LABELS_DIFFER_IN_CASE = "labels_differ_in_case"  # labels "Mildew" and "mildew" in a CSV: two classes, said
# table / time-series importers
DATE_EXPANDED = "date_expanded"
CATEGORIES_GROUPED = "categories_grouped"
IRREGULAR_TIMESTAMPS = "irregular_timestamps"
TIMESTAMP_GAP = "timestamp_gap"              # no readings for a while: the recording is cut there
CLOCK_RESTART = "clock_restart"              # the timestamps jump back (a logger's clock restarted): cut there
COARSE_TIMESTAMPS = "coarse_timestamps"      # whole seconds for 50 readings a second: spread within each second
GROUPED_BY_NAME = "grouped_by_name"          # files kept together per speaker / machine read from the names
LOOKS_LIKE_RECORDING = "looks_like_recording"  # one sensor recording (x,y,z) chosen as a table to learn from
LABEL_COLUMN_GUESSED = "label_column_guessed"   # a sheet's label column taken by its place: none is called label
SHEET_DIFFERS_FROM_FOLDERS = "sheet_differs_from_folders"   # a label sheet says otherwise than the class folders
LEAKING_COLUMN = "leaking_column"            # a table's column that alone gives the answer away
UNNAMED_SUBJECT = "unnamed_subject"          # ... but a few files' names do not say whose they are: split per file
NO_SUBJECTS_IN_NAMES = "no_subjects_in_names"  # audio / sensor files whose names say nobody: split one by one
FEW_SUBJECTS = "few_subjects"                # the names name speakers / machines, too few to hold any out

# Severity: "error" means the data cannot be trained on as it is; "warning" means it can, but the result
# may suffer; "info" is something the user should know (e.g. we resampled their audio).
SEVERITIES = ("error", "warning", "info")

MAX_FILES_LISTED = 200
TEXT_FILES_LISTED = 5
PAIRS_LISTED = 20
"""Pairs of copies shown in a terminal; --json and the app list every one (the scale walk: 144 lines)."""
# Findings whose every file is listed, in --json, in the cache and in the terminal: each line is a pair of
# copies the user has to look at, and the one not shown is the one left in the wrong class.
LIST_EVERY_FILE = frozenset({DUPLICATE, DUPLICATE_ACROSS_LABELS, NEAR_DUPLICATE, NEAR_DUPLICATE_ACROSS_LABELS})


@dataclass
class Problem:
    code: str
    message: str
    """What was found and what it means, in plain words."""
    advice: str = ""
    """What to do about it."""
    files: list[str] = field(default_factory=list)
    severity: str = "warning"
    count: int | None = None
    """How many files (or rows) the problem concerns. ``None`` means ``len(files)``; a report read back
    from the cache keeps only the first MAX_FILES_LISTED files (all of them for LIST_EVERY_FILE), so it
    carries the full count here."""

    @property
    def total(self) -> int:
        return max(len(self.files), self.count or 0)

    def as_dict(self) -> dict:
        d = asdict(self)
        d["count"] = self.total
        d["files"] = self.files if self.code in LIST_EVERY_FILE else self.files[:MAX_FILES_LISTED]
        return d


@dataclass
class Report:
    problems: list[Problem] = field(default_factory=list)

    def add(self, code: str, message: str, advice: str = "", files=None, severity: str = "warning") -> Problem:
        p = Problem(code=code, message=message, advice=advice, files=list(files or []), severity=severity)
        self.problems.append(p)
        return p

    def codes(self) -> list[str]:
        return [p.code for p in self.problems]

    def by_code(self, code: str) -> list[Problem]:
        return [p for p in self.problems if p.code == code]

    def as_list(self) -> list[dict]:
        return [p.as_dict() for p in self.problems]

    @classmethod
    def from_list(cls, items: list[dict]) -> Report:
        return cls([Problem(code=i["code"], message=i["message"], advice=i.get("advice", ""),
                            files=list(i.get("files", [])), severity=i.get("severity", "warning"),
                            count=i.get("count"))
                    for i in items])

    def text(self) -> str:
        """Human-readable report for a terminal."""
        if not self.problems:
            return "No problems found."
        lines = []
        for p in self.problems:
            lines.append(f"[{p.severity}] {p.message}")
            if p.advice:
                lines.append(f"    What to do: {p.advice}")
            shown = PAIRS_LISTED if p.code in LIST_EVERY_FILE else TEXT_FILES_LISTED
            for f in p.files[:shown]:
                lines.append(f"    - {f}")
            if p.total > shown:
                listed = "them all" if p.total <= MAX_FILES_LISTED or p.code in LIST_EVERY_FILE else \
                    f"the first {MAX_FILES_LISTED}"
                lines.append(f"    ... and {p.total - min(len(p.files), shown)} more (--json lists {listed})")
        return "\n".join(lines)
