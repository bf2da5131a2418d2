// Which schema validates an object, and what it says about it: types, required fields, formats and enums from the
// generated validators of kubernetes-models, plus the unknown fields those validators let through (the Kubernetes
// OpenAPI schemas do not forbid additional properties, but the API server rejects unknown fields).
import { readFileSync } from "node:fs";

const pkgVersion = (name) =>
  JSON.parse(readFileSync(new URL(`./node_modules/${name}/package.json`, import.meta.url), "utf8")).version;

// The upstream versions the pinned packages were generated from (update together with package.json):
// kubernetes-models 5.1.0 from the Kubernetes v1.36.0 OpenAPI spec (merged with older releases' specs so that removed
// APIs still have types: see REMOVED below), @kubernetes-models/prometheus-operator 6.0.0 from prometheus-operator
// v0.91.0's Go API types.
const SOURCES = [
  {
    describe: () => `Kubernetes 1.36.0 API (kubernetes-models ${pkgVersion("kubernetes-models")})`,
    serves: (group) => !group.includes(".") || group.endsWith(".k8s.io"),
    module: (group, version) => (group ? `kubernetes-models/${group}/${version}` : `kubernetes-models/${version}`),
  },
  {
    describe: () =>
      `prometheus-operator v0.91.0 CRDs (@kubernetes-models/prometheus-operator ${pkgVersion("@kubernetes-models/prometheus-operator")})`,
    serves: (group) => group === "monitoring.coreos.com",
    module: (group, version) => `@kubernetes-models/prometheus-operator/${group}/${version}`,
  },
];

export const schemaSetDescription = () => SOURCES.map((s) => s.describe()).join("; ");

// API versions that the merged schema still describes but Kubernetes no longer serves: an object using one validates
// against its old type and is then refused by every current cluster.
// https://kubernetes.io/docs/reference/using-api/deprecation-guide/
const REMOVED = {
  "extensions/v1beta1": "1.22 (Ingress, NetworkPolicy) or 1.16 (workloads): use networking.k8s.io/v1 or apps/v1",
  "apps/v1beta1": "1.16: use apps/v1",
  "apps/v1beta2": "1.16: use apps/v1",
  "networking.k8s.io/v1beta1 Ingress": "1.22: use networking.k8s.io/v1",
  "networking.k8s.io/v1beta1 IngressClass": "1.22: use networking.k8s.io/v1",
  "policy/v1beta1": "1.25: use policy/v1",
  "batch/v1beta1": "1.25: use batch/v1",
  "autoscaling/v2beta1": "1.25: use autoscaling/v2",
  "autoscaling/v2beta2": "1.26: use autoscaling/v2",
  "rbac.authorization.k8s.io/v1beta1": "1.22: use rbac.authorization.k8s.io/v1",
};

const modules = new Map();
const load = async (name) => {
  if (!modules.has(name)) modules.set(name, await import(name).catch(() => null));
  return modules.get(name);
};

/** The model class for an object's apiVersion and kind, or { error } saying why there is none. */
export async function modelFor(apiVersion, kind) {
  if (typeof apiVersion !== "string" || typeof kind !== "string" || !apiVersion || !kind) {
    return { error: "apiVersion and kind must be non-empty strings" };
  }
  // Names become module paths below: only API-shaped names get that far.
  if (!/^[A-Z][A-Za-z0-9]*$/.test(kind)) return { error: `kind "${kind}" is not a Kubernetes kind name` };
  if (!/^([a-z0-9.-]+\/)?v[0-9]+((alpha|beta)[0-9]+)?$/.test(apiVersion)) {
    return { error: `apiVersion "${apiVersion}" is not of the form [group/]version` };
  }
  const removed = REMOVED[`${apiVersion} ${kind}`] ?? REMOVED[apiVersion];
  if (removed) {
    return { error: `${apiVersion} ${kind} is no longer served by Kubernetes: removed in ${removed}` };
  }
  const [group, version] = apiVersion.includes("/") ? apiVersion.split("/", 2) : ["", apiVersion];
  const source = SOURCES.find((s) => s.serves(group));
  if (!source) {
    return { error: `no schema for API group "${group}" (known: the Kubernetes API and monitoring.coreos.com)` };
  }
  // One file per kind, so only the schemas in use are loaded; the group/version's index only to explain a miss.
  const base = source.module(group, version);
  const mod = await load(`${base}/${kind}`);
  const model = mod?.[kind];
  if (typeof model !== "function" || model.kind !== kind || model.apiVersion !== apiVersion) {
    return (await load(base))
      ? { error: `unknown kind "${kind}" in ${apiVersion}` }
      : { error: `unknown apiVersion "${apiVersion}" (no such group/version in ${source.describe()})` };
  }
  return { model, source: source.describe() };
}

/**
 * Validates one object: the schema's complaints, then unknown fields. The generated validators read every property their
 * schema declares (checking `data.prop !== undefined`) and enumerate the keys only of maps, so a property of a typed
 * object that the validator never read is not in the schema. Objects whose schema is free-form are never read and are
 * left alone.
 */
export function validateObject(model, obj) {
  const reads = new WeakMap();
  const proxies = new WeakMap();
  const ANY = Symbol("every key");
  const wrap = (value) => {
    if (value === null || typeof value !== "object") return value;
    if (!proxies.has(value)) {
      const keys = new Set();
      reads.set(value, keys);
      proxies.set(value, new Proxy(value, {
        get(target, key, receiver) {
          keys.add(key);
          return wrap(Reflect.get(target, key, receiver));
        },
        has(target, key) {
          keys.add(key);
          return Reflect.has(target, key);
        },
        ownKeys(target) {
          keys.add(ANY);
          return Reflect.ownKeys(target);
        },
      }));
    }
    return proxies.get(value);
  };

  const problems = [];
  try {
    model.prototype.validate.call(wrap(obj));
  } catch (e) {
    if (!Array.isArray(e?.errors)) throw e;
    for (const err of e.errors) problems.push(describeSchemaError(err));
  }

  const walk = (value, path) => {
    if (value === null || typeof value !== "object") return;
    if (Array.isArray(value)) {
      value.forEach((item, i) => walk(item, `${path}/${i}`));
      return;
    }
    const keys = reads.get(value);
    const typed = keys && keys.size > 0 && !keys.has(ANY);
    for (const [key, child] of Object.entries(value)) {
      if (typed && !keys.has(key)) {
        problems.push(`${path}/${key}: unknown field "${key}" (not in the schema)`);
      } else {
        walk(child, `${path}/${key}`);
      }
    }
  };
  walk(obj, "");
  return problems;
}

function describeSchemaError(err) {
  const where = err.instancePath || "(object)";
  switch (err.keyword) {
    case "required":
      return `${where}: missing required field "${err.params.missingProperty}"`;
    case "enum":
      return `${where}: must be one of ${err.params.allowedValues.map((v) => JSON.stringify(v)).join(", ")}`;
    case "type":
      return `${where}: must be ${err.params.type}`;
    default:
      return `${where}: ${err.message ?? err.keyword}`;
  }
}
