#include "store/write_batch.h"

#include <cstdint>

namespace dirbridge {
namespace {

void AppendU32(std::string& out, std::size_t n) {
  const auto v = static_cast<uint32_t>(n);
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}

bool ReadU32(std::string_view& in, uint32_t* v) {
  if (in.size() < 4) return false;
  *v = 0;
  for (int i = 0; i < 4; ++i) *v |= static_cast<uint32_t>(static_cast<unsigned char>(in[i])) << (8 * i);
  in.remove_prefix(4);
  return true;
}

bool ReadBytes(std::string_view& in, std::string* out) {
  uint32_t n;
  if (!ReadU32(in, &n) || in.size() < n) return false;
  out->assign(in.substr(0, n));
  in.remove_prefix(n);
  return true;
}

}  // namespace

void WriteBatch::Put(std::string key, std::string value) {
  ops_.push_back(Operation{Op::kPut, std::move(key), std::move(value)});
}

void WriteBatch::Delete(std::string key) { ops_.push_back(Operation{Op::kDelete, std::move(key), {}}); }

std::string WriteBatch::Encode() const {
  std::string out;
  for (const auto& op : ops_) {
    out.push_back(static_cast<char>(op.op));
    AppendU32(out, op.key.size());
    out += op.key;
    if (op.op == Op::kPut) {
      AppendU32(out, op.value.size());
      out += op.value;
    }
  }
  return out;
}

Result<WriteBatch> WriteBatch::Decode(std::string_view in) {
  WriteBatch batch;
  while (!in.empty()) {
    const auto op = static_cast<unsigned char>(in[0]);
    in.remove_prefix(1);
    std::string key, value;
    if (!ReadBytes(in, &key)) return Internal("write batch: truncated key");
    if (op == static_cast<unsigned char>(Op::kPut)) {
      if (!ReadBytes(in, &value)) return Internal("write batch: truncated value");
      batch.Put(std::move(key), std::move(value));
    } else if (op == static_cast<unsigned char>(Op::kDelete)) {
      batch.Delete(std::move(key));
    } else {
      return Internal("write batch: unknown operation " + std::to_string(op));
    }
  }
  return batch;
}

}  // namespace dirbridge
