"""The Evaluate page's list of samples names a table row by its own reference (the order number the shop
owner looks orders up by), not only by its line, and says rows and windows in words, not '#row=812'."""

from __future__ import annotations

from edgeling.gui.widgets.sample_list import sample_text


def test_a_table_row_is_named_by_its_reference():
    row = {"source": "commandes.csv#row=812", "row_id": "CMD-24011", "row_id_column": "N° commande",
           "true": "retourné", "predicted": "gardé", "confidence": 0.91}
    assert sample_text(row) == ("commandes.csv row 812 (N° commande CMD-24011): is retourné, the model said gardé "
                                "(91% sure)")
    window = {"source": "normal/pump3_01.csv#t=2.00-4.00", "true": "normal", "predicted": "cavitation"}
    assert sample_text(window) == "normal/pump3_01.csv from 2.0 s to 4.0 s: is normal, the model said cavitation"
    assert sample_text({"source": "a.png", "true": "x", "predicted": "y"}) == "a.png: is x, the model said y"
