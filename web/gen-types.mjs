// Generates src/protocol.ts, the TypeScript types of the wire contract, from the JSON Schema of
// protocol/messages.py (printed by `python -m protocol.schema`). The pydantic models stay the single
// source of truth; tests/test_protocol_types.py fails when the committed file is out of date.
//
//   python -m protocol.schema | npm run --silent gen-types              # writes src/protocol.ts
//   npm run --silent gen-types -- schema.json --out /tmp/protocol.ts    # reads a file, writes elsewhere
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { compile } from "json-schema-to-typescript";

const DEFAULT_OUT = fileURLToPath(new URL("./src/protocol.ts", import.meta.url));

function parseArgs(argv) {
  let input = null;
  let out = DEFAULT_OUT;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === "--out") {
      out = argv[++i];
      if (!out) throw new Error("--out needs a path");
    } else if (input === null) {
      input = argv[i];
    } else {
      throw new Error(`unexpected argument ${argv[i]}`);
    }
  }
  return { input, out };
}

// pydantic leaves fields that have a default out of `required`, but encode() always writes every field,
// so on the wire each property is present. Requiring them all gives the client exact discriminated unions
// (`type` is never optional) and makes it send complete messages (with `v`) itself.
function normalizeObjects(node) {
  if (Array.isArray(node)) {
    node.forEach(normalizeObjects);
  } else if (node && typeof node === "object") {
    if (node.type === "object" && node.properties) {
      node.required = Object.keys(node.properties);
      // pydantic titles every field ("Type", "V", ...); untitled fields are inlined instead of becoming
      // dozens of numbered aliases (Type1, V7, ...).
      for (const property of Object.values(node.properties)) delete property.title;
    }
    Object.values(node).forEach(normalizeObjects);
  }
}

// json_schema() is the union `ClientMessage | ServerMessage | ObserverClientMessage | ObserverServerMessage`,
// each a discriminated union of its own. Name the branches so the client can import them; check each by a
// tag only it has, so a change cannot swap them.
const DIRECTIONS = [
  ["ClientMessage", "hello"],
  ["ServerMessage", "ready"],
  ["ObserverClientMessage", "observe"],
  ["ObserverServerMessage", "observer_ready"],
];

function nameDirections(schema) {
  const branches = schema.anyOf ?? [];
  const tags = (branch) => Object.keys(branch?.discriminator?.mapping ?? {});
  if (branches.length !== DIRECTIONS.length) {
    throw new Error(`schema has ${branches.length} top-level branches, expected ${DIRECTIONS.length}`);
  }
  DIRECTIONS.forEach(([title, tag], i) => {
    if (!tags(branches[i]).includes(tag)) {
      throw new Error(`top-level branch ${i} should be ${title} (with message type "${tag}")`);
    }
    branches[i].title = title;
  });
}

const { input, out } = parseArgs(process.argv.slice(2));
const schema = JSON.parse(readFileSync(input ?? 0, "utf8"));
nameDirections(schema);
normalizeObjects(schema);
const banner = [
  "/* GENERATED from protocol/messages.py by `npm run gen-types`: do not edit by hand.",
  " * Regenerate with: .venv/bin/python -m protocol.schema | (cd web && npm run --silent gen-types) */",
].join("\n");
const ts = await compile(schema, "VivaProtocol", {
  bannerComment: banner,
  additionalProperties: false,
  unreachableDefinitions: true,
  style: { singleQuote: false, printWidth: 110 },
});
writeFileSync(out, ts);
