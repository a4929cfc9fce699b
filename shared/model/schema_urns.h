// Every SCIM schema URN dirbridge speaks (RFC 7643 §8.7, RFC 7644 §3), in one place.
// Resource schemas name what a resource is; message schemas name what a request or
// response body is. Compare them ignoring ASCII case (core/ascii.h): clients vary.
#pragma once

#include <string_view>

namespace dirbridge {

// Resources (RFC 7643 §8.7.1).
inline constexpr std::string_view kUserSchemaUrn = "urn:ietf:params:scim:schemas:core:2.0:User";
inline constexpr std::string_view kGroupSchemaUrn = "urn:ietf:params:scim:schemas:core:2.0:Group";
inline constexpr std::string_view kEnterpriseUserSchemaUrn =
    "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

// Service provider configuration (RFC 7643 §8.7.2).
inline constexpr std::string_view kServiceProviderConfigSchemaUrn =
    "urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig";
inline constexpr std::string_view kResourceTypeSchemaUrn = "urn:ietf:params:scim:schemas:core:2.0:ResourceType";
inline constexpr std::string_view kSchemaSchemaUrn = "urn:ietf:params:scim:schemas:core:2.0:Schema";

// Messages (RFC 7644 §3.1).
inline constexpr std::string_view kListResponseSchemaUrn = "urn:ietf:params:scim:api:messages:2.0:ListResponse";
inline constexpr std::string_view kSearchRequestSchemaUrn = "urn:ietf:params:scim:api:messages:2.0:SearchRequest";
inline constexpr std::string_view kPatchOpSchemaUrn = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
inline constexpr std::string_view kErrorSchemaUrn = "urn:ietf:params:scim:api:messages:2.0:Error";

}  // namespace dirbridge
