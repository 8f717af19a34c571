"""Run the Khronos glTF validator (node, `scripts/gltf-validate.mjs`) over many GLB files in one process."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SCRIPT = REPO / "scripts" / "gltf-validate.mjs"


def validator_available() -> bool:
    return shutil.which("node") is not None and (REPO / "node_modules" / "gltf-validator").is_dir()


def validate_glbs(paths: list[Path], timeout: float = 300.0) -> dict[Path, dict]:
    """Validate every path; returns {path: report} with keys errors, warnings, infos, hints, messages.

    One node process for all files (node start-up dominates per-file cost). Raises if node or the validator
    package is missing, or if the script crashes.
    """
    if not paths:
        return {}
    if not validator_available():
        raise RuntimeError("node or node_modules/gltf-validator is missing (run npm install in the repo root)")
    args = [str(Path(p).resolve()) for p in paths]
    proc = subprocess.run(
        ["node", str(SCRIPT), *args], cwd=REPO, capture_output=True, text=True, timeout=timeout, check=False
    )
    if proc.returncode != 0:
        raise RuntimeError(f"gltf-validate.mjs failed ({proc.returncode}): {proc.stderr.strip()[:2000]}")
    reports = {}
    for line in proc.stdout.splitlines():
        if line.strip():
            report = json.loads(line)
            reports[Path(report["file"])] = report
    by_input = {}
    for original, resolved in zip(paths, args, strict=True):
        by_input[Path(original)] = reports[Path(resolved)]
    return by_input
