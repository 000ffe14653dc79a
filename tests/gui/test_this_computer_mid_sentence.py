"""'This computer (AMD EPYC)' in the middle of a sentence is 'this computer (AMD EPYC)' (the upgrade walk's GUI
fixer saw "how to run it on This computer (AMD EPYC)" on the Export page)."""

from __future__ import annotations


def test_this_computer_is_lower_case_mid_sentence():
    from edgeling.core.devices.catalogue import get_device
    from edgeling.gui.pages.export_failure import failure_advice
    from edgeling.gui.pages.export_words import hint_for

    pc = get_device("this-computer", measure=False)
    assert pc.name.startswith("This computer (") and pc.in_sentence.startswith("this computer (")
    assert f"how to run it on {pc.in_sentence}:" in hint_for(pc) and "This computer" not in hint_for(pc)
    assert "This computer" not in failure_advice("onnx-int8", pc)
    board = get_device("esp32-s3", measure=False)
    assert board.in_sentence == board.name
