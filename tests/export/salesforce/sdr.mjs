// Reads an exported SFDX project with @salesforce/source-deploy-retrieve (pinned in
// tests/js): the components it recognises and the source files each is made of, the
// package.xml it writes for them, and the files of their conversion to metadata format.
// Usage: node sdr.mjs PROJECT_DIR OUTPUT_DIR  (prints one JSON document)
import { createRequire } from "node:module";
import { readFileSync, readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";

const require = createRequire(new URL("../../js/package.json", import.meta.url));
const { ComponentSet, MetadataConverter } = require("@salesforce/source-deploy-retrieve");

const [project, output] = process.argv.slice(2);
const source = join(project, "force-app");

function walk(directory) {
  return readdirSync(directory).flatMap((name) => {
    const path = join(directory, name);
    return statSync(path).isDirectory() ? walk(path) : [path];
  });
}

const set = ComponentSet.fromSource(source);
// As `sf project deploy` does: the API version of the project file.
set.sourceApiVersion = JSON.parse(readFileSync(join(project, "sfdx-project.json"))).sourceApiVersion;
const components = [];
const covered = new Set();
for (const component of set.getSourceComponents()) {
  const files = [component.xml, ...(component.content ? walk(component.content) : [])]
    .filter(Boolean);
  for (const child of component.getChildren()) {
    if (child.xml) files.push(child.xml);
  }
  for (const file of files) covered.add(relative(project, file));
  components.push({ type: component.type.name, fullName: component.fullName });
}
const packageXml = await set.getPackageXml(4);
const converter = new MetadataConverter();
await converter.convert(set, "metadata", {
  type: "directory",
  outputDirectory: output,
  genUniqueDir: false,
});
const converted = walk(output).map((path) => relative(output, path)).sort();
process.stdout.write(
  JSON.stringify({
    components,
    covered: [...covered].sort(),
    packageXml,
    converted,
  }),
);
