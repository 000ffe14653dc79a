"""Architecture families, front ends, the layer graph, estimates and auto-sizing."""
