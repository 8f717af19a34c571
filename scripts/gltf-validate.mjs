#!/usr/bin/env node
// Validate GLB files with the Khronos glTF validator (npm "gltf-validator").
// Usage: node scripts/gltf-validate.mjs a.glb b.glb ...
// Prints one JSON line per file: {file, errors, warnings, infos, hints, messages: [{code, severity, pointer, message}]}
// (severity: 0 error, 1 warning, 2 info, 3 hint). Exit status is 0 unless the script itself crashes; a file that
// cannot be read is reported with errors: 1 and an IO_ERROR message.
import { readFile } from "node:fs/promises";
import { basename } from "node:path";
import validator from "gltf-validator";

for (const file of process.argv.slice(2)) {
  let line;
  try {
    const data = new Uint8Array(await readFile(file));
    const report = await validator.validateBytes(data, {
      uri: basename(file),
      maxIssues: 100,
      writeTimestamp: false,
      externalResourceFunction: (uri) => Promise.reject(new Error(`external resource not allowed: ${uri}`)),
    });
    const issues = report.issues;
    line = {
      file,
      errors: issues.numErrors,
      warnings: issues.numWarnings,
      infos: issues.numInfos,
      hints: issues.numHints,
      messages: issues.messages.map((m) => ({ code: m.code, severity: m.severity, pointer: m.pointer ?? null, message: m.message })),
      triangles: report.info?.totalTriangleCount ?? null,
      drawCalls: report.info?.drawCallCount ?? null,
    };
  } catch (err) {
    line = { file, errors: 1, warnings: 0, infos: 0, hints: 0, messages: [{ code: "IO_ERROR", severity: 0, pointer: null, message: String(err) }] };
  }
  process.stdout.write(JSON.stringify(line) + "\n");
}
