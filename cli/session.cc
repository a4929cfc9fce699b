#include "session.h"

#include "core/http_message.h"
#include "core/json_input.h"
#include "core/json_text.h"
#include "core/printable.h"

namespace dirbridge::cli {

std::string Segment(std::string_view text) { return PercentEncode(text); }

const nlohmann::json* ArrayMember(const nlohmann::json& answer, const char* name) {
  if (!answer.is_object()) return nullptr;
  auto it = answer.find(name);
  return it != answer.end() && it->is_array() ? &*it : nullptr;
}

std::string Session::TenantPath(std::string_view rest) const {
  return "/tenants/" + Segment(settings_.tenant) + std::string(rest);
}

JsonAnswer Session::CallJson(std::string_view method, const std::string& path,
                             const std::optional<nlohmann::json>& body) {
  JsonAnswer answer;
  answer.reply = Call(method, path, body);
  if (!answer.reply.ok()) {
    answer.code = Report(answer.reply);
    return answer;
  }
  if (answer.reply.body.empty()) return answer;
  auto doc = ParseResponseJson(answer.reply.body);
  if (!doc.ok()) {
    answer.code =
        BadAnswer("the answer to " + std::string(method) + " " + path + " is not JSON: " + doc.error().detail);
    return answer;
  }
  answer.body = std::move(*doc);
  return answer;
}

ExitCode Session::CallAndPrint(std::string_view method, const std::string& path,
                               const std::optional<nlohmann::json>& body,
                               const std::function<void(const JsonAnswer&)>& readable) {
  auto answer = CallJson(method, path, body);
  if (!answer.ok()) return answer.code;
  if (json()) {
    PrintJson(answer.body);
  } else {
    readable(answer);
  }
  return ExitCode::kOk;
}

ExitCode Session::CallAndConfirm(std::string_view method, const std::string& path, const nlohmann::json& json_note,
                                 const std::string& text) {
  auto reply = Call(method, path);
  if (!reply.ok()) return Report(reply);
  if (json()) {
    PrintJson(json_note);
  } else {
    out_ << text << "\n";
  }
  return ExitCode::kOk;
}

ExitCode Session::Report(const Reply& reply) {
  err_ << "dirbridge: " << FailureMessage(reply, settings_.server) << "\n";
  return ExitCodeOf(reply);
}

ExitCode Session::UsageError(const std::string& message) {
  err_ << "dirbridge: " << message << "\n";
  return ExitCode::kUsage;
}

ExitCode Session::BadAnswer(const std::string& what) {
  err_ << "dirbridge: unexpected answer from " << settings_.server << ": " << Printable(what, 300) << "\n";
  return ExitCode::kServerError;
}

void Session::PrintJson(const nlohmann::json& value) { out_ << JsonText(value) << "\n"; }

void Session::PrintOneTimeSecret(const std::string& label, const std::string& value) {
  out_ << "\n" << label << " (shown only this once; store it now):\n  " << Printable(value, value.size()) << "\n";
}

std::string Session::Actor() const {
  return inv_.Option("by").value_or(ProcessEnv("USER").value_or("dirbridge-cli"));
}

}  // namespace dirbridge::cli
