#!/usr/bin/env node
// Validates APL documents and their datasources with Amazon's apl-suggester.
//
// Reads one JSON object on stdin: {"cases": [{"name": str, "document": {...}, "datasources": {...}}]}
// and writes one JSON object on stdout: {"name": [{"path", "level", "message"}, ...], ...}, an
// empty list for a case with no finding. Exit 0 when it could judge every case, 2 otherwise.
"use strict";

const { StaticAplTemplateValidator } = require("apl-suggester");

function findings(infos) {
  return infos.map((info) => ({
    path: info.path,
    level: info.level || "ERROR",
    message: info.errorMessage,
  }));
}

async function main() {
  const chunks = [];
  for await (const chunk of process.stdin) chunks.push(chunk);
  const input = JSON.parse(Buffer.concat(chunks).toString("utf8"));
  const validator = new StaticAplTemplateValidator();
  const report = {};
  // One at a time: the validator shares one Ajv instance across calls.
  for (const item of input.cases) {
    const document = await validator.validate(item.document);
    const datasources = item.datasources === undefined
      ? []
      : await validator.validateDataSources(item.datasources);
    report[item.name] = findings(document).concat(findings(datasources));
  }
  process.stdout.write(JSON.stringify(report));
}

main().catch((error) => {
  process.stderr.write(`validate.js: ${error && error.stack ? error.stack : error}\n`);
  process.exit(2);
});
