"""A row with too few or too many fields, in a table given to predict or to evaluate --on, is said with its line,
not dropped unsaid (the newcomer: 3 answers for 4 rows, exit 0, row 4 never mentioned)."""

from __future__ import annotations

import pytest
import torch

from edgeling.core.jobs.train_job import train_run
from edgeling.core.training.other_files import evaluate_on_files
from edgeling.core.training.predict import aggregated_notes, predict_files
from tests.core.training_fixtures import make_table_csv


@pytest.fixture(scope="module")
def table_run(tmp_path_factory):
    torch.set_num_threads(1)
    tmp = tmp_path_factory.mktemp("ragged")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("EDGELING_CACHE_DIR", str(tmp / "cache"))
        assert train_run(make_table_csv(tmp / "t.csv", n=200), tmp / "run", arch="mlp", epochs=2,
                         threads=1)["status"] == "finished"
    return tmp


def ragged(path, with_label: bool):
    lines = make_table_csv(path, n=6, seed=3).read_text().splitlines()
    if not with_label:
        lines = [",".join(line.split(",")[:3]) for line in lines]
    lines[3] = "60,30"                    # line 4: too few fields
    path.write_text("\n".join(lines) + "\n")
    return path


def test_predict_says_a_row_it_could_not_read(table_run):
    got = predict_files(table_run / "run", [str(ragged(table_run / "new.csv", with_label=False))])
    assert [p["source"].rsplit("#row=", 1)[1] for p in got] == ["2", "3", "5", "6", "7"]
    said = aggregated_notes(got)
    assert any("1 row of new.csv has a different number of fields than the header (3) and was not predicted: line 4"
               in s for s in said), said


def test_a_test_on_a_table_counts_a_row_it_could_not_read_as_not_counted(table_run):
    result = evaluate_on_files(table_run / "run", ragged(table_run / "labelled.csv", with_label=True))
    assert result["num_samples"] == 5
    assert {"file": "labelled.csv#row=4", "reason": "a different number of fields than the header (a comma inside "
            "a value that is not in quotes?)"} in result["skipped"]


def test_a_truncated_picture_given_to_predict_says_to_copy_it_again(tmp_path):
    """The newcomer: a truncated JPEG was told 'Choose a PNG, JPEG, BMP or WebP picture'."""
    import io

    from PIL import Image

    from edgeling.core.data.dataset import DataError
    from edgeling.core.data.images import preprocess_image

    buf = io.BytesIO()
    Image.new("RGB", (64, 64), (200, 10, 10)).save(buf, "JPEG")
    (tmp_path / "cut.jpg").write_bytes(buf.getvalue()[: len(buf.getvalue()) // 2])
    with pytest.raises(DataError, match="truncated\\). Copy it again from the original"):
        preprocess_image(str(tmp_path / "cut.jpg"), {"image_size": [16, 16], "channels": 3})
