// Push channels (developers.google.com/admin-sdk/directory/v1/guides/push): one
// users.watch channel per event (add, update, delete, makeAdmin, undelete) and one
// Reports activities.watch channel for applicationName=admin. A channel cannot be
// extended: before one expires, a timer opens its successor, both deliver for a while
// (a change notified on both is fetched twice, which the engine takes as unchanged),
// and once the successor is open the old one is stopped with channels/stop. A channel
// that fails to open is retried after a backoff and the failure is in the status.
//
// Each channel has its own token (X-Goog-Channel-Token, a dbc1 token the edge checks,
// tenancy/bearer_token.h), kept here only as its SHA-256.
#pragma once

#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include "effects/outbox.h"
#include "google_session.h"

namespace dirbridge::gworkspace {

inline constexpr const char* kThenWatchOpened = "watch.opened";
inline constexpr const char* kThenChannelStopped = "channel.stopped";
// Renewal: a quarter of the channel's lifetime before it expires, at most this much.
inline constexpr int64_t kMaxRenewMarginMs = 30 * 60 * 1000;
inline constexpr int64_t kReopenMinMs = 30 * 1000;
inline constexpr int64_t kReopenMaxMs = 15 * 60 * 1000;

// When a channel opened at `opened_ms` and expiring at `expires_ms` is renewed.
int64_t RenewAt(int64_t opened_ms, int64_t expires_ms);

// Opens a channel for `stream` (a users.watch event or "activities") that replaces
// the channel `replaces` ("" for none) once open.
Status OpenChannel(GoogleSession& s, const std::string& stream, const std::string& replaces);
// Opens a channel for every stream, each replacing the stream's current one.
Status OpenAllChannels(GoogleSession& s);

Status HandleWatchOpened(GoogleSession& s, const nlohmann::json& data, const effects::Outcome& outcome);
Status HandleChannelStopped(GoogleSession& s, const nlohmann::json& data, const effects::Outcome& outcome);
Status ResumeRenew(const effects::ContinuationCall& call, GoogleSession& s);   // google.channel.renew
Status ResumeReopen(const effects::ContinuationCall& call, GoogleSession& s);  // google.channel.reopen

}  // namespace dirbridge::gworkspace
