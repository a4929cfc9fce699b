// A host object wrapper that injects a failure into a tenant call after it has
// committed: once a kv_commit whose ops mention FAULT_MARK has been applied, the next
// kvList of the same call throws. The module then answers 500 ("the host failed in
// kv_list") after its write; the hosts must undo that write (host_contract.md, "All or
// nothing"). The trigger travels in the data, so it works in any process: the node:wasi
// host (loadWasiModules' wrapTenantHost) and workerd (fault_worker.mjs) alike.
export const FAULT_MARK = "fault-after-commit";

export function faultAfterCommit(host) {
  let armed = false;
  return {
    ...host,
    kvCommit(ops) {
      host.kvCommit(ops);
      if (JSON.stringify(ops).includes(FAULT_MARK)) armed = true;
    },
    kvList(prefix, startAfter, limit) {
      if (armed) {
        armed = false;
        throw new Error("injected failure after a commit");
      }
      return host.kvList(prefix, startAfter, limit);
    },
  };
}
