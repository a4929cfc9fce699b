#include "listing.h"

namespace dirbridge::cli {

void Listing::Add(const nlohmann::json& item) {
  ++count_;
  if (s_.json()) {
    s_.PrintJson(item);
  } else {
    table_.AddRow(row_(item));
  }
}

ExitCode Listing::Finish(ExitCode code) {
  if (code != ExitCode::kOk || s_.json()) return code;
  if (count_ == 0) {
    s_.out() << none_ << "\n";
  } else {
    s_.out() << table_.Render();
  }
  return code;
}

}  // namespace dirbridge::cli
