"""The embedded engine: procedural text→3D, no GPU, no model weights. Import submodules directly (they are heavy)."""
