"""edgeling.gui: the Qt desktop app. Talks to edgeling.core through plain data and jobs; never imports
torch or onnxruntime in its own process (tests/gui/test_no_torch_in_gui.py holds it)."""
