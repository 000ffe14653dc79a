"""The plan sizes networks for the columns the model reads (the shop walk: after leaving out 'Date de retour' on
the Data page, the Model page recommended a network of 19,970 parameters; the run trained had 19,458, as the CLI
plan with --leave-out said)."""

from __future__ import annotations


def test_left_out_columns_reach_the_plan():
    from edgeling.gui.pages.model_plan import import_args, plan_key

    data = {"path": "/shop/commandes.csv", "kind": "table",
            "options": {"target": "Retourné", "leave_out": ["Date de retour", "Note"]}}
    args = import_args(data)
    assert args[args.index("--target") + 1] == "Retourné"
    assert [args[i + 1] for i, a in enumerate(args) if a == "--leave-out"] == ["Date de retour", "Note"]

    class Project:
        device = "this-computer"
    Project.data = data
    other = {**data, "options": {"target": "Retourné"}}
    Project2 = type("P2", (), {"device": "this-computer", "data": other})
    assert plan_key(Project) != plan_key(Project2)       # leaving a column out asks for a new plan
