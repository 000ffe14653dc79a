"""Exports of a trained model, each proven on its real runtime before it is handed over.

Public entry points:
- ``exporter.export_model(model, frontend, spec, x_calib, x_test, y_test, fmt, out_path, ...)``: one export
  (onnx, onnx-int8, tflite, tflite-int8, c-header) with verification, model card and labels file;
  ``int8_file=`` reuses a compressed run's verified ``model-int8.tflite`` for tflite-int8 / c-header;
- ``exporter.export_metadata(spec, frontend, input_shape, fmt)``: what every file says about itself
  (classes, kind, import settings ``data_meta``, front end), enough for ``edgeling predict FILE``;
- ``tflite_writer.write_tflite(graph, path, precision=..., calibration=..., int8_io=..., metadata=...)``;
- ``onnx_export.export_onnx_float`` / ``export_onnx_int8``;
- ``verify.verify_export(path, format, x_test, y_test, reference_outputs)``;
- ``runtimes.predict_exported(path, x)`` and ``runtimes.read_export_metadata(path)``.

Nothing here imports Qt; torch is imported only inside the functions that need it.
"""
