// Checks the schema cannot express. "server:" lines are things the API server's own validation refuses (so a render
// that passes here would still fail at `kubectl apply`); "rule:" lines are MeshPortal's deployment rules (README
// "Deploy into a cluster"): the restricted Pod Security Standard, health probes and resource limits on every container.
// "ref:" lines are references between the objects of one render that point at nothing.

const POD_TEMPLATE_KINDS = new Set(["Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job"]);
const VOLUME_SOURCE_FIELDS = new Set(["name"]); // everything else on a volume is a source

const podSpecOf = (obj) =>
  obj.kind === "Pod" ? { spec: obj.spec, labels: obj.metadata?.labels, path: "/spec" }
    : POD_TEMPLATE_KINDS.has(obj.kind) ? { spec: obj.spec?.template?.spec, labels: obj.spec?.template?.metadata?.labels, path: "/spec/template/spec" }
      : null;

const isObject = (v) => v !== null && typeof v === "object" && !Array.isArray(v);
const list = (v) => (Array.isArray(v) ? v : []);

/** Problems of one object on its own (server-side validation and MeshPortal's rules). */
export function checkObject(obj) {
  const pod = podSpecOf(obj);
  if (!pod || !isObject(pod.spec)) return [];
  const problems = [];
  const { spec, path } = pod;

  const selector = obj.spec?.selector?.matchLabels;
  if (obj.kind !== "Pod" && obj.kind !== "Job" && isObject(selector)) {
    for (const [k, v] of Object.entries(selector)) {
      if (pod.labels?.[k] !== v) problems.push(`server: /spec/selector: matchLabels ${k}=${v} does not match the pod template's labels`);
    }
  }

  const volumes = new Set(list(spec.volumes).map((v) => v?.name));
  for (const t of list(obj.spec?.volumeClaimTemplates)) volumes.add(t?.metadata?.name);
  list(spec.volumes).forEach((v, i) => {
    const sources = Object.keys(v ?? {}).filter((k) => !VOLUME_SOURCE_FIELDS.has(k) && v[k] !== null);
    if (sources.length !== 1) {
      problems.push(`server: ${path}/volumes/${i}: volume "${v?.name}" must have exactly one source, has ${sources.length} (${sources.join(", ")})`);
    }
  });

  const podSc = spec.securityContext ?? {};
  const containers = [...list(spec.initContainers).map((c, i) => [c, `${path}/initContainers/${i}`]),
    ...list(spec.containers).map((c, i) => [c, `${path}/containers/${i}`])];
  for (const [c, cpath] of containers) {
    if (!isObject(c)) continue;
    const name = c.name ?? "?";
    list(c.volumeMounts).forEach((m, i) => {
      if (!volumes.has(m?.name)) problems.push(`server: ${cpath}/volumeMounts/${i}: container "${name}" mounts volume "${m?.name}", which is not defined`);
    });
    list(c.env).forEach((e, i) => {
      if (e?.value !== undefined && e?.valueFrom !== undefined) {
        problems.push(`server: ${cpath}/env/${i}: "${e.name}" has both value and valueFrom`);
      }
    });

    const sc = c.securityContext ?? {};
    const runAsNonRoot = sc.runAsNonRoot ?? podSc.runAsNonRoot;
    const runAsUser = sc.runAsUser ?? podSc.runAsUser;
    const seccomp = (sc.seccompProfile ?? podSc.seccompProfile)?.type;
    if (runAsNonRoot !== true) problems.push(`rule: ${cpath}: container "${name}" must set runAsNonRoot: true (pod or container securityContext)`);
    if (!Number.isInteger(runAsUser) || runAsUser === 0) problems.push(`rule: ${cpath}: container "${name}" must run as a fixed non-zero runAsUser`);
    if (seccomp !== "RuntimeDefault" && seccomp !== "Localhost") problems.push(`rule: ${cpath}: container "${name}" needs seccompProfile RuntimeDefault`);
    if (sc.allowPrivilegeEscalation !== false) problems.push(`rule: ${cpath}/securityContext: container "${name}" must set allowPrivilegeEscalation: false`);
    if (sc.readOnlyRootFilesystem !== true) problems.push(`rule: ${cpath}/securityContext: container "${name}" must set readOnlyRootFilesystem: true`);
    if (!list(sc.capabilities?.drop).includes("ALL")) problems.push(`rule: ${cpath}/securityContext: container "${name}" must drop ALL capabilities`);
    if (list(sc.capabilities?.add).length > 0) problems.push(`rule: ${cpath}/securityContext: container "${name}" must not add capabilities`);
    if (cpath.includes("/containers/")) {
      if (!c.livenessProbe) problems.push(`rule: ${cpath}: container "${name}" has no livenessProbe`);
      if (!c.readinessProbe) problems.push(`rule: ${cpath}: container "${name}" has no readinessProbe`);
    }
    const res = c.resources ?? {};
    if (!res.requests?.cpu || !res.requests?.memory) problems.push(`rule: ${cpath}/resources: container "${name}" needs cpu and memory requests`);
    if (!res.limits?.memory) problems.push(`rule: ${cpath}/resources: container "${name}" needs a memory limit`);
  }
  return problems;
}

/** Problems with references between the objects of one render, keyed by the index of the object that refers. */
export function checkReferences(objects) {
  const problems = new Map();
  const add = (i, message) => problems.set(i, [...(problems.get(i) ?? []), `ref: ${message}`]);
  const ns = (o) => o.metadata?.namespace ?? "";
  const named = (kind, namespace, name) => objects.find((o) => o.kind === kind && ns(o) === namespace && o.metadata?.name === name);
  const pods = objects.map(podSpecOf).map((p, i) => p && { ...p, ns: ns(objects[i]) }).filter((p) => p && isObject(p.spec));
  const selects = (selector, namespace) => (p) =>
    p.ns === namespace && Object.entries(selector).every(([k, v]) => p.labels?.[k] === v);

  objects.forEach((o, i) => {
    const namespace = ns(o);
    if (o.kind === "Service" && isObject(o.spec?.selector)) {
      const matched = pods.filter(selects(o.spec.selector, namespace));
      if (matched.length === 0) add(i, `/spec/selector: selects no pod template in this render`);
      const portNames = new Set(matched.flatMap((p) => list(p.spec.containers).flatMap((c) => list(c.ports).map((pt) => pt.name))));
      list(o.spec.ports).forEach((pt, j) => {
        if (typeof pt.targetPort === "string" && matched.length > 0 && !portNames.has(pt.targetPort)) {
          add(i, `/spec/ports/${j}/targetPort: no selected container has a port named "${pt.targetPort}"`);
        }
      });
    }
    if ((o.kind === "PodDisruptionBudget" || o.kind === "NetworkPolicy") && isObject(o.spec)) {
      const selector = o.kind === "NetworkPolicy" ? o.spec.podSelector?.matchLabels : o.spec.selector?.matchLabels;
      if (isObject(selector) && !pods.some(selects(selector, namespace))) add(i, `selector selects no pod template in this render`);
    }
    if (o.kind === "Ingress") {
      const backends = list(o.spec?.rules).flatMap((r) => list(r?.http?.paths).map((p) => p?.backend?.service));
      if (o.spec?.defaultBackend?.service) backends.push(o.spec.defaultBackend.service);
      for (const b of backends.filter(Boolean)) {
        const svc = named("Service", namespace, b.name);
        if (!svc) add(i, `backend Service "${b.name}" is not in this render`);
        else if (b.port?.name && !list(svc.spec?.ports).some((p) => p.name === b.port.name)) add(i, `Service "${b.name}" has no port named "${b.port.name}"`);
      }
    }
    const pod = podSpecOf(o);
    if (pod && isObject(pod.spec)) {
      // ConfigMaps come from this render (kustomize's generators add a hash to their names); Secrets are created by
      // the operator, so they are not looked for.
      for (const c of [...list(pod.spec.containers), ...list(pod.spec.initContainers)]) {
        for (const e of list(c?.envFrom)) {
          const ref = e?.configMapRef;
          if (ref && ref.optional !== true && !named("ConfigMap", namespace, ref.name)) add(i, `container "${c.name}" reads ConfigMap "${ref.name}", which is not in this render`);
        }
      }
      for (const v of list(pod.spec.volumes)) {
        const ref = v?.configMap;
        if (ref && ref.optional !== true && !named("ConfigMap", namespace, ref.name)) add(i, `volume "${v.name}" reads ConfigMap "${ref.name}", which is not in this render`);
      }
    }
  });
  return problems;
}
