#!/usr/bin/env node
// Validates Kubernetes objects without a cluster: every object of the multi-document YAML read from the files named on
// the command line ("-" = standard input) against the Kubernetes API schema (types, required fields, unknown fields,
// API versions no longer served), plus the checks of rules.mjs. Prints one line per object and the reasons of each
// failure; exits 1 when any object (or document) is invalid, 2 on usage errors.
//
//   kubectl kustomize deploy/kubernetes/overlays/sqlite | node deploy/kubernetes/validate/validate.mjs -
import { readFileSync } from "node:fs";
import { parseAllDocuments } from "yaml";
import { modelFor, schemaSetDescription, validateObject } from "./schemas.mjs";
import { checkObject, checkReferences } from "./rules.mjs";

const inputs = process.argv.slice(2);
if (inputs.length === 0 || inputs.some((a) => a.startsWith("-") && a !== "-")) {
  console.error("usage: validate.mjs FILE|- ...   (multi-document YAML; - reads standard input)");
  process.exit(2);
}

const objects = []; // { obj, origin }
const failures = []; // lines for documents that are not objects at all
for (const input of inputs) {
  let text;
  try {
    text = readFileSync(input === "-" ? 0 : input, "utf8");
  } catch (e) {
    console.error(`cannot read ${input}: ${e.message}`);
    process.exit(2);
  }
  const label = input === "-" ? "stdin" : input;
  parseAllDocuments(text, { prettyErrors: true, uniqueKeys: true }).forEach((doc, n) => {
    const origin = `${label} document ${n + 1}`;
    if (doc.errors.length > 0) {
      failures.push(`FAIL  ${origin}: not valid YAML`, ...doc.errors.map((e) => `        ${e.message.split("\n")[0].replace(/:$/, "")}`));
      return;
    }
    const obj = doc.toJS();
    if (obj === null || obj === undefined) return; // an empty document, e.g. after a trailing "---"
    if (typeof obj !== "object" || Array.isArray(obj)) {
      failures.push(`FAIL  ${origin}: a Kubernetes object must be a mapping, found ${Array.isArray(obj) ? "a list" : typeof obj}`);
      return;
    }
    objects.push({ obj, origin });
  });
}

console.log(`schemas: ${schemaSetDescription()}`);
for (const line of failures) console.log(line);

const references = checkReferences(objects.map((o) => o.obj));
let invalid = failures.filter((l) => l.startsWith("FAIL")).length;
for (const [i, { obj, origin }] of objects.entries()) {
  const name = `${obj.kind ?? "?"} ${obj.metadata?.namespace ? `${obj.metadata.namespace}/` : ""}${obj.metadata?.name ?? "?"} (${obj.apiVersion ?? "no apiVersion"})`;
  const { model, error } = await modelFor(obj.apiVersion, obj.kind);
  const problems = error ? [error] : [...validateObject(model, obj), ...checkObject(obj), ...(references.get(i) ?? [])];
  if (problems.length === 0) {
    console.log(`ok    ${name}`);
  } else {
    invalid++;
    console.log(`FAIL  ${name}  [${origin}]`);
    for (const p of problems) console.log(`        ${p}`);
  }
}

const total = objects.length + failures.filter((l) => l.startsWith("FAIL")).length;
if (total === 0) {
  console.log("FAIL  no Kubernetes objects in the input");
  process.exit(1);
}
console.log(`${total - invalid} of ${total} objects valid`);
process.exit(invalid > 0 ? 1 : 0);
