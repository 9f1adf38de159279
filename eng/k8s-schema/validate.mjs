// Validates Kubernetes objects (multi-document YAML on stdin, as `kubectl kustomize` prints them) against the
// Kubernetes API's JSON schemas, through the kubernetes-models classes: required fields, types, formats and enums.
// Unknown fields pass here (the schemas allow them); tests/Deployment.Tests reads the same objects strictly for those.
// Prints one line per object that fails and exits 1 if any does; run by tests/Deployment.Tests after
// eng/ensure-k8s-tools.sh installed this folder's packages into artifacts/tools/k8s-schema.
import { parseAllDocuments } from "yaml";

const input = await new Promise((resolve, reject) => {
  let text = "";
  process.stdin.setEncoding("utf8");
  process.stdin.on("data", (chunk) => (text += chunk));
  process.stdin.on("end", () => resolve(text));
  process.stdin.on("error", reject);
});

let failures = 0;
let count = 0;
for (const document of parseAllDocuments(input)) {
  if (document.errors.length > 0) {
    console.log(`YAML: ${document.errors.map((error) => error.message).join("; ")}`);
    failures++;
    continue;
  }
  const object = document.toJS();
  if (object === null) {
    continue;
  }
  count++;
  // kustomize 5 folds long base64 values over lines; the API server's base64 decoder skips line breaks, the
  // schema's "byte" format does not.
  for (const field of ["data", "binaryData"]) {
    for (const [key, value] of Object.entries(object[field] ?? {})) {
      if (typeof value === "string") {
        object[field][key] = value.replace(/[\r\n]/g, "");
      }
    }
  }
  const name = `${object.kind}/${object.metadata?.name}`;
  // apps/v1 -> kubernetes-models/apps/v1/Deployment; the core group's v1 -> kubernetes-models/v1/Service.
  let model;
  try {
    model = (await import(`kubernetes-models/${object.apiVersion}/${object.kind}`))[object.kind];
  } catch {
    console.log(`${name}: no schema for ${object.apiVersion} ${object.kind}`);
    failures++;
    continue;
  }
  try {
    new model(object).validate();
  } catch (error) {
    console.log(`${name}: ${error.message}`);
    failures++;
  }
}

console.log(`${count} objects, ${failures} invalid`);
process.exit(failures === 0 && count > 0 ? 0 : 1);
