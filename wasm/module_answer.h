// An export's answer in the layout of module_exports.h, [u32 head_len][u32 body_len]
// [head][body] little-endian, in memory the host releases with dirbridge_free.
#pragma once

#include <cstdint>
#include <string_view>

namespace dirbridge {

uint8_t* WriteAnswer(std::string_view head, std::string_view body);

}  // namespace dirbridge
