// SCIM schema definitions (RFC 7643). This file is the single source of truth for
// which attributes a User or a Group has and how each behaves: its type, whether it is
// multi-valued, whether string comparison is case-exact, its mutability, when it is
// returned, its uniqueness, and its sub-attributes. Nothing here touches a resource;
// filter, patch and projection code asks these definitions how to treat a value.
//
// Names are looked up case-insensitively (RFC 7643 §2.1) and may be written fully
// qualified with a schema URN ("urn:ietf:params:scim:schemas:core:2.0:User:userName",
// "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value"). An
// attribute of an extension schema lives in the resource JSON under the extension URN
// key; core and common attributes live at the top level.
//
// The definitions are built once, on first use, and live for the whole program; the
// references and pointers handed out stay valid forever.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/ascii.h"
#include "model/json_fields.h"
#include "model/schema_urns.h"

namespace dirbridge::scim {

enum class AttributeType { kString, kBoolean, kDecimal, kInteger, kDateTime, kReference, kComplex, kBinary };
enum class Mutability { kReadOnly, kReadWrite, kImmutable, kWriteOnly };
enum class Returned { kAlways, kNever, kDefault, kRequest };
enum class Uniqueness { kNone, kServer, kGlobal };

std::string_view ToString(AttributeType type);
std::string_view ToString(Mutability mutability);
std::string_view ToString(Returned returned);
std::string_view ToString(Uniqueness uniqueness);

// One attribute (or sub-attribute) definition, RFC 7643 §7 "attributes".
struct AttributeDef {
  std::string name;
  AttributeType type = AttributeType::kString;
  bool multi_valued = false;
  std::string description;
  bool required = false;
  bool case_exact = false;
  Mutability mutability = Mutability::kReadWrite;
  Returned returned = Returned::kDefault;
  Uniqueness uniqueness = Uniqueness::kNone;
  std::vector<std::string> canonical_values;
  std::vector<std::string> reference_types;
  std::vector<AttributeDef> sub_attributes;

  bool is_complex() const { return type == AttributeType::kComplex; }
  // The sub-attribute called `name` (case-insensitive), or nullptr.
  const AttributeDef* FindSubAttribute(std::string_view sub_name) const;
};

// One schema: core User, core Group, or the Enterprise User extension.
struct SchemaDef {
  std::string id;  // the schema URN
  std::string name;
  std::string description;
  std::vector<AttributeDef> attributes;

  // The top-level attribute called `name` (case-insensitive), or nullptr.
  const AttributeDef* FindAttribute(std::string_view attr_name) const;
};

// Where an attribute name led: its definition, the definition of the attribute that
// contains it (for a sub-attribute), and the JSON key under which its top-level
// attribute lives ("" for core and common attributes, the URN for an extension).
struct ResolvedAttribute {
  const AttributeDef* attribute = nullptr;  // the named attribute or sub-attribute
  const AttributeDef* parent = nullptr;     // the containing attribute for a sub-attribute
  const SchemaDef* schema = nullptr;        // nullptr for common attributes (id, meta, ...)
  std::string extension_urn;                // "" unless it is an extension attribute
  // The top-level definition: `parent` when this is a sub-attribute, else `attribute`.
  const AttributeDef* top() const { return parent != nullptr ? parent : attribute; }
};

// A resource type (RFC 7643 §6): its core schema, its extensions and the common
// attributes every resource carries (schemas, id, externalId, meta).
struct ResourceSchema {
  std::string name;         // "User" / "Group"
  std::string endpoint;     // "/Users" / "/Groups"
  std::string description;
  const SchemaDef* core = nullptr;
  struct Extension {
    const SchemaDef* schema = nullptr;
    bool required = false;
  };
  std::vector<Extension> extensions;

  // Resolves "attr", "attr.sub", "urn:...:attr" or "urn:...:attr.sub". Without a URN,
  // core and common attributes are tried first, then the extensions. Returns nullopt
  // when no schema defines the name (the caller decides whether that is an error).
  std::optional<ResolvedAttribute> Resolve(std::string_view path) const;
  // Resolves a split path: urn may be empty; sub_attribute may be empty.
  std::optional<ResolvedAttribute> Resolve(std::string_view urn, std::string_view attribute,
                                           std::string_view sub_attribute) const;
  // The extension whose URN equals `urn` (case-insensitive), or nullptr.
  const SchemaDef* FindExtension(std::string_view urn) const;
  // True when `urn` names the core schema or one of the extensions.
  bool KnowsSchemaUrn(std::string_view urn) const;
};

// The common attributes of every resource (RFC 7643 §3.1): schemas, id, externalId, meta.
const std::vector<AttributeDef>& CommonAttributes();
const SchemaDef& UserSchema();
const SchemaDef& EnterpriseUserSchema();
const SchemaDef& GroupSchema();
const ResourceSchema& UserResource();
const ResourceSchema& GroupResource();

// RFC 7643 §7 representation of a schema, as served at /Schemas/{id}. `base_url` is
// the service root (e.g. "https://host/scim/v2") used to build meta.location; the
// common attributes are not listed (RFC 7643 §7 says they are implied).
nlohmann::json SchemaToJson(const SchemaDef& schema, std::string_view base_url);
// RFC 7643 §6 representation of a resource type, as served at /ResourceTypes/{name}.
nlohmann::json ResourceTypeToJson(const ResourceSchema& resource, std::string_view base_url);

// ---- Helpers for the SCIM notion of names and values, shared by filter/patch/projection.

// Names compare ignoring ASCII case (core/ascii.h); members of JSON objects are
// found the same way (model/json_fields.h, json_fields::Find).
// Splits "urn:...:Schema:attr.sub" into the URN and the rest, when `path` starts with
// "urn:". Returns false when it is not URN-qualified. The URN is everything up to the
// last ':' (attribute names cannot contain ':').
bool SplitUrnPrefix(std::string_view path, std::string_view* urn, std::string_view* rest);

// An instant parsed from an RFC 3339 date-time ("2015-10-10T14:38:21.8617979-07:00"):
// seconds since 1970-01-01T00:00:00Z plus nanoseconds. Returns nullopt when `text` is
// not a full RFC 3339 date-time.
struct Instant {
  std::int64_t seconds = 0;
  std::int32_t nanos = 0;
  friend bool operator==(const Instant&, const Instant&) = default;
  friend auto operator<=>(const Instant&, const Instant&) = default;
};
std::optional<Instant> ParseDateTime(std::string_view text);

}  // namespace dirbridge::scim
