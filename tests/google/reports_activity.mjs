// Admin-audit activity resources, as the Reports API returns them and as Reports push
// notifications carry them in their body.
//
// Activity resource: https://developers.google.com/workspace/admin/reports/reference/rest/v1/activities
//   {kind: "admin#reports#activity", id: {time, uniqueQualifier, applicationName, customerId},
//    etag, actor: {email, profileId, callerType}, ipAddress,
//    events: [{type, name, parameters: [{name, value}]}]}
//   uniqueQualifier is an int64, hence a JSON string.
// Event names and parameters (applicationName=admin):
//   Group settings (type GROUP_SETTINGS):
//     https://developers.google.com/workspace/admin/reports/v1/appendix/activity/admin-group-settings
//     CREATE_GROUP {GROUP_EMAIL}, DELETE_GROUP {GROUP_EMAIL}, CHANGE_GROUP_NAME {GROUP_EMAIL, NEW_VALUE},
//     ADD_GROUP_MEMBER {USER_EMAIL, GROUP_EMAIL}, REMOVE_GROUP_MEMBER {USER_EMAIL, GROUP_EMAIL}
//   User settings (type USER_SETTINGS):
//     https://developers.google.com/workspace/admin/reports/v1/appendix/activity/admin-user-settings
//     CREATE_USER, DELETE_USER, UNDELETE_USER, SUSPEND_USER, UNSUSPEND_USER,
//     GRANT_ADMIN_PRIVILEGE {USER_EMAIL}; RENAME_USER {USER_EMAIL, NEW_VALUE}

import { createHash, randomInt } from "node:crypto";

export const GROUP_SETTINGS = "GROUP_SETTINGS";
export const USER_SETTINGS = "USER_SETTINGS";

function int64String() {
  // Google's uniqueQualifier values are signed 64-bit integers, often negative.
  const digits = String(randomInt(1, 10)) + String(randomInt(0, 1e9)).padStart(9, "0") + String(randomInt(0, 1e9)).padStart(9, "0");
  return (randomInt(0, 2) ? "-" : "") + digits;
}

/**
 * @param {{customerId: string, actor: {email: string, profileId: string}, ipAddress: string,
 *          type: string, name: string, parameters: Record<string, string>, nowMs: number}} spec
 */
export function adminActivity({ customerId, actor, ipAddress, type, name, parameters, nowMs }) {
  const activity = {
    kind: "admin#reports#activity",
    id: {
      time: new Date(nowMs).toISOString(),
      uniqueQualifier: int64String(),
      applicationName: "admin",
      customerId,
    },
    etag: "",
    actor: { email: actor.email, profileId: actor.profileId, callerType: "USER" },
    ipAddress,
    events: [{
      type,
      name,
      parameters: Object.entries(parameters).map(([n, value]) => ({ name: n, value })),
    }],
  };
  activity.etag = `"${createHash("sha1").update(JSON.stringify(activity)).digest("base64url")}"`;
  return activity;
}
