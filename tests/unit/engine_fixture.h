// The engine under test, as the provision_* unit tests share it: a deterministic env,
// an in-memory store, tenant "acme", a way to make users and the tenant's event log.
#pragma once

#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "native/native_env.h"
#include "provision/directory.h"
#include "provision/event_log.h"
#include "store/memory_kv_store.h"

namespace dirbridge::testing {

struct EngineFixture {
  NativeEnv env{/*deterministic=*/true};
  MemoryKvStore store;

  // A user `directory` creates with this userName (and title, when given), a
  // millisecond after the last: ids are UUIDv7, so creation order is key order.
  User CreateUserNamed(Directory& directory, const std::string& name, const std::string& title = "") {
    env.AdvanceMillis(1);
    User u;
    u.user_name = name;
    u.title = title;
    auto created = directory.CreateUser(u);
    REQUIRE(created.ok());
    return *created;
  }
  // The tenant's event log (its first 1,000 events).
  std::vector<nlohmann::json> Events() {
    auto events = ReadEvents(store, "acme", 0, 1000);
    REQUIRE(events.ok());
    return *events;
  }
};

}  // namespace dirbridge::testing
