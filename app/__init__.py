"""forge402: pay-per-call 3D generation (free lane + x402 paid twin)."""

__version__ = "0.1.0"
