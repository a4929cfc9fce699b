// Fixed resources the library harnesses evaluate and patch: users and a group in
// the SCIM JSON shape the service renders (scim/rendering.h), with the attributes
// filters and PATCH paths reach (multi-valued, complex, the enterprise extension,
// dateTimes, attributes kept verbatim in other_attributes).
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace dirbridge::fuzz {

inline const std::vector<nlohmann::json>& FixedUsers() {
  static const std::vector<nlohmann::json> kUsers = [] {
    std::vector<nlohmann::json> users;
    users.push_back(nlohmann::json::parse(R"({
      "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User",
                  "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"],
      "id": "2819c223-7f76-453a-919d-413861904646",
      "externalId": "AdaExt",
      "userName": "Ada@Example.com",
      "displayName": "Ada Lovelace",
      "nickName": "ada",
      "active": true,
      "title": "Countess",
      "name": {"givenName": "Ada", "familyName": "Lovelace", "formatted": "Ada Lovelace"},
      "emails": [
        {"value": "ada@work.example", "type": "work", "primary": true},
        {"value": "ada@home.example", "type": "home", "primary": false}
      ],
      "phoneNumbers": [{"value": "+44 20 7946 0000", "type": "work"}],
      "meta": {"resourceType": "User", "created": "2015-10-10T14:38:21.8617979-07:00",
               "lastModified": "2021-01-01T00:00:00Z", "version": "W/\"3\"",
               "location": "https://dirbridge.example/t/acme/scim/v2/Users/2819c223-7f76-453a-919d-413861904646"},
      "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": {
        "employeeNumber": "701984", "department": "Analytics", "costCenter": "4130",
        "manager": {"value": "26118915-6090-4610-87e4-49d8ca9f808d", "displayName": "Babbage"}
      }
    })"));
    users.push_back(nlohmann::json::parse(R"({
      "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
      "id": "b0b",
      "userName": "bjensen",
      "active": false,
      "userType": "Employee",
      "locale": "en-US",
      "emails": [{"value": "BJensen@Example.com", "primary": true}, {"value": "babs@example.org"}],
      "roles": [{"value": "admin", "primary": true}, {"value": 7}, {"display": "no value"}],
      "x509Certificates": [{"value": "MIIDQzCCAqygAwIBAgICEAAwDQYJKoZIhvcNAQEFBQAw"}],
      "addresses": [{"type": "work", "streetAddress": "100 Universal City Plaza", "country": "US",
                     "formatted": "100 Universal City Plaza\nHollywood, CA 91608 USA"}],
      "meta": {"resourceType": "User", "created": "2024-02-29T23:59:59Z", "lastModified": "2024-03-01T00:00:00.5+00:30"}
    })"));
    users.push_back(nlohmann::json::parse(R"({
      "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
      "id": "min",
      "userName": "\u00e9l\u00e8ve+\ud83d\ude00@example.com",
      "active": true,
      "meta": {"resourceType": "User"}
    })"));
    return users;
  }();
  return kUsers;
}

inline const nlohmann::json& FixedGroup() {
  static const nlohmann::json kGroup = nlohmann::json::parse(R"({
    "schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"],
    "id": "e9e30dba-f08f-4109-8486-d5c6a331660a",
    "displayName": "Tour Guides",
    "externalId": "tg",
    "members": [
      {"value": "2819c223-7f76-453a-919d-413861904646", "display": "Ada Lovelace", "type": "User"},
      {"value": "b0b", "$ref": "https://dirbridge.example/t/acme/scim/v2/Users/b0b"}
    ],
    "meta": {"resourceType": "Group", "created": "2024-01-01T00:00:00Z", "lastModified": "2024-01-02T00:00:00Z"}
  })");
  return kGroup;
}

}  // namespace dirbridge::fuzz
