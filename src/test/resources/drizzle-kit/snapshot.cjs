// usage: node snapshot.cjs <schema.ts> <out.json>
// Writes the drizzle-kit snapshot of a schema module as drizzle-kit generate builds it: the module is loaded through
// tsx, as drizzle-kit 0.31 loads schema files, and its exports go to generateDrizzleJson from drizzle-kit/api.
const path = require('node:path');
const fs = require('node:fs');
require('tsx/cjs/api').register();
const { generateDrizzleJson } = require('drizzle-kit/api');
const [schemaFile, out] = process.argv.slice(2);
const schema = require(path.resolve(schemaFile));
fs.writeFileSync(out, JSON.stringify(generateDrizzleJson(schema), null, 2));
