// Runs Microsoft's Entra SCIM Postman collection against a running dirbridge, by hand,
// and prints every failed assertion with the request sent and the server's answer.
//
//   node tests/conformance/run_entra_collection.mjs \
//     --base http://127.0.0.1:8787/t/<tenant>/scim/v2 --token <connection bearer token> [--all] [--json FILE]
//
// (`node deploy/local/serve.mjs` prints both for its dev tenant.) The collection creates
// users and groups and deletes them again at the end; on a tenant that already holds
// users its counting checks ("Results have 2 users", "Total results") fail, so use a
// fresh tenant for counts that mean something.
//
// --all     also print the requests whose checks all passed
// --json F  write the whole run (requests, answers, assertions) to F
//
// It prints the collection's defects too: the skip list with the reasons lives in
// entra_postman.test.mjs. Exit status: 0 when no check failed, 1 otherwise.

import fs from "node:fs";
import { describeRequest, evaluate, runEntraCollection, summaryLine } from "./entra_collection.mjs";

function parseArgs(argv) {
  const args = { all: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      if (i + 1 >= argv.length) throw new Error(`${a} needs a value`);
      return argv[++i];
    };
    if (a === "--base") args.base = value();
    else if (a === "--token") args.token = value();
    else if (a === "--json") args.json = value();
    else if (a === "--all") args.all = true;
    else throw new Error(`unknown argument ${a}`);
  }
  if (!args.base || !args.token) {
    throw new Error("usage: run_entra_collection.mjs --base http://127.0.0.1:PORT/t/<tenant>/scim/v2 --token <token> [--all] [--json FILE]");
  }
  return args;
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const result = await runEntraCollection({ scimBaseUrl: args.base.replace(/\/+$/, ""), token: args.token });
  if (result.runError) {
    console.error(`newman failed: ${result.runError.stack || result.runError}`);
    process.exit(2);
  }
  if (args.json) fs.writeFileSync(args.json, JSON.stringify(result, null, 2) + "\n");
  const ev = evaluate(result);
  const failedByRequest = new Map();
  for (const f of ev.failed) {
    if (!failedByRequest.has(f.request)) failedByRequest.set(f.request, []);
    failedByRequest.get(f.request).push(f);
  }
  for (const r of result.requests) {
    const failures = failedByRequest.get(r) || [];
    if (!failures.length && !r.requestError && !args.all) continue;
    const mark = failures.length || r.requestError ? "FAIL" : "ok  ";
    console.log(`\n${mark} ${r.folder ? `${r.folder} > ` : ""}${r.key}`);
    for (const f of failures) console.log(`     x ${f.assertion}: ${f.message}${f.note ? ` (${f.note})` : ""}`);
    console.log(describeRequest(r).replace(/^/gm, "     "));
  }
  console.log(`\n${summaryLine(ev)}`);
  process.exit(ev.failed.length || ev.requestErrors.length ? 1 : 0);
}

main().catch((e) => {
  console.error(`run_entra_collection.mjs: ${e.message}`);
  process.exit(2);
});
