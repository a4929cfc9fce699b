// The Worker of deploy/cloudflare/src/worker.mjs with tests/e2e/fault_host.mjs wrapped
// around its Durable Object's host object: what tests/e2e/atomic_calls.test.mjs runs
// under workerd to fail a call after it has committed.
import worker, { TenantDirectory as Base } from "../../deploy/cloudflare/src/worker.mjs";
import { faultAfterCommit } from "./fault_host.mjs";

export default worker;

export class TenantDirectory extends Base {
  static wrapTenantHost(host) {
    return faultAfterCommit(host);
  }
}
