"""edgeling.core: everything Edgeling does, with no GUI. Never imports Qt or pyqtgraph (a test holds it);
torch and onnxruntime are imported only inside the functions of a job that needs them."""

__version__ = "0.1.0"
