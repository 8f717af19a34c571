"""Generation engines: each turns a request into an `EngineOutput` (GLB + thumbnail + facts)."""
