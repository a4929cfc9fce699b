// A request's writes, gathered and then committed as one atomic unit (cf. LevelDB's
// WriteBatch). The encoding is the host ABI's batch format (wasm/host_imports.h):
// per operation [u8 op][u32 key_len][key] and, for a put, [u32 value_len][value].
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace dirbridge {

class WriteBatch {
 public:
  enum class Op : unsigned char { kPut = 1, kDelete = 2 };
  struct Operation {
    Op op;
    std::string key;
    std::string value;  // empty for a delete
  };

  void Put(std::string key, std::string value);
  void Delete(std::string key);
  const std::vector<Operation>& operations() const { return ops_; }
  bool empty() const { return ops_.empty(); }
  std::size_t size() const { return ops_.size(); }

  std::string Encode() const;
  static Result<WriteBatch> Decode(std::string_view bytes);

 private:
  std::vector<Operation> ops_;
};

}  // namespace dirbridge
