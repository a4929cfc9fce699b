#include "batchadd_fields.h"

#include "core/ascii.h"

namespace dirbridge::custom_api {
namespace {

// The field an attribute's (lowercased) name maps to, or nullptr.
std::string* MappedField(const std::string& lower, User& user) {
  EnterpriseAttributes& e = user.enterprise;
  if (lower == "department") return &e.department;
  if (lower == "division") return &e.division;
  if (lower == "organization" || lower == "company") return &e.organization;
  if (lower == "costcenter") return &e.cost_center;
  if (lower == "employeenumber" || lower == "employeeid") return &e.employee_number;
  if (lower == "title" || lower == "jobtitle") return &user.title;
  return nullptr;
}

}  // namespace

void ApplyBatchAddItem(const BatchAddItem& item, User& user, std::set<std::string>* ignored) {
  if (user.user_name.empty()) {
    user.user_name = item.username;
    if (item.username.find('@') != std::string::npos && user.emails.empty()) {
      TypedValue email;
      email.value = item.username;
      email.type = "work";
      email.primary = true;
      user.emails.push_back(std::move(email));
    }
  }
  if (item.fullname) {
    user.name.formatted = *item.fullname;
    user.display_name = *item.fullname;
  }
  for (const auto& [name, value] : item.attributes) {
    const std::string lower = ToLowerAscii(name);
    if (std::string* field = MappedField(lower, user)) {
      *field = value;
    } else if (lower == "objectguid") {
      if (user.external_id.empty()) user.external_id = value;
    } else {
      ignored->insert(name);
    }
  }
}

}  // namespace dirbridge::custom_api
