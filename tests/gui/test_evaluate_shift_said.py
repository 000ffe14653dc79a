"""The Evaluate page says core's sentence about files unlike those the model learnt from (the vineyard walk)."""

from __future__ import annotations


def test_the_summary_of_other_files_says_they_differ():
    from edgeling.core.results_words import OTHER_FILES_SPLIT
    from edgeling.gui.pages.evaluate_summary import summary_text

    m = {"accuracy": 0.571, "num_samples": 70, "data": "/photos/2027", "split": OTHER_FILES_SPLIT,
         "input_shift": "The pictures tested are brighter (by 9% of full brightness) than those the model learnt "
                        "from, in most of their classes."}
    assert "The pictures tested are brighter (by 9% of full brightness)" in summary_text(m)
    assert "brighter" not in summary_text({k: v for k, v in m.items() if k != "input_shift"})
    mix = {**m, "class_mix": "The rows tested hold 9% 'Oui' against 39% in the data the model learnt from."}
    assert "The rows tested hold 9% 'Oui' against 39%" in summary_text(mix)
