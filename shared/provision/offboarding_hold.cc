#include "provision/offboarding_hold.h"

#include "core/ascii.h"
#include "core/json_input.h"
#include "model/json_fields.h"
#include "store/key_layout.h"

namespace dirbridge {

nlohmann::json HoldToJson(const OffboardHold& h) {
  nlohmann::json j = {{"by", h.by}, {"at", h.at}, {"heldReactivations", h.held_reactivations}};
  if (!h.reason.empty()) j["reason"] = h.reason;
  if (!h.request.empty()) j["request"] = h.request;
  if (!h.last_held.is_null()) j["lastHeld"] = h.last_held;
  return j;
}

Result<std::optional<OffboardHold>> LoadHold(Transaction& txn, std::string_view tenant, std::string_view user_id) {
  DB_ASSIGN_OR_RETURN(auto raw, txn.Get(keys::UserHold(tenant, user_id)));
  if (!raw) return std::optional<OffboardHold>();
  DB_ASSIGN_OR_RETURN(auto doc, ParseRecordJson(*raw));
  OffboardHold h;
  DB_RETURN_IF_ERROR(json_fields::ReadString(doc, "by", "", &h.by));
  DB_RETURN_IF_ERROR(json_fields::ReadString(doc, "reason", "", &h.reason));
  DB_RETURN_IF_ERROR(json_fields::ReadString(doc, "at", "", &h.at));
  DB_RETURN_IF_ERROR(json_fields::ReadString(doc, "request", "", &h.request));
  if (auto n = doc.find("heldReactivations"); n != doc.end() && n->is_number_unsigned()) {
    h.held_reactivations = n->get<uint64_t>();
  }
  if (auto l = doc.find("lastHeld"); l != doc.end() && l->is_object()) h.last_held = *l;
  return std::optional<OffboardHold>(std::move(h));
}

void PutHold(Transaction& txn, std::string_view tenant, std::string_view user_id, const OffboardHold& hold) {
  txn.Put(keys::UserHold(tenant, user_id), HoldToJson(hold).dump());
}

void DeleteHold(Transaction& txn, std::string_view tenant, std::string_view user_id) {
  txn.Delete(keys::UserHold(tenant, user_id));
}

Status CheckOffboardText(std::string_view field, std::string_view value) {
  if (value.size() > kMaxOffboardTextBytes) {
    return InvalidInput("'" + std::string(field) + "' is longer than " + std::to_string(kMaxOffboardTextBytes) +
                        " bytes");
  }
  if (HasAsciiControl(value)) return InvalidInput("'" + std::string(field) + "' holds a control character");
  return Status::Ok();
}

}  // namespace dirbridge
