#include "provision/page_hints.h"

#include "store/counter.h"
#include "store/key_layout.h"

namespace dirbridge {

PageHints::PageHints(KvStore& store, std::string tenant, std::string collection)
    : store_(store), tenant_(std::move(tenant)), collection_(std::move(collection)) {}

Result<uint64_t> PageHints::Generation() {
  return ReadCounter(store_, keys::CollectionGeneration(tenant_, collection_));
}

Result<std::optional<std::string>> PageHints::Find(std::size_t start_index) {
  DB_ASSIGN_OR_RETURN(auto raw, store_.Get(keys::PageHint(tenant_, collection_, start_index)));
  if (!raw) return std::optional<std::string>();
  auto colon = raw->find(':');
  if (colon == std::string::npos) return std::optional<std::string>();
  DB_ASSIGN_OR_RETURN(uint64_t generation, Generation());
  if (raw->substr(0, colon) != std::to_string(generation)) return std::optional<std::string>();
  return std::optional<std::string>(raw->substr(colon + 1));
}

Status PageHints::Remember(std::size_t start_index, std::string_view cursor) {
  DB_ASSIGN_OR_RETURN(uint64_t generation, Generation());
  Transaction txn(store_);
  txn.Put(keys::PageHint(tenant_, collection_, start_index), std::to_string(generation) + ":" + std::string(cursor));
  return txn.Commit();
}

Status BumpCollectionGeneration(Transaction& txn, std::string_view tenant, std::string_view collection) {
  return AddToCounter(txn, keys::CollectionGeneration(tenant, collection), 1).status();
}

}  // namespace dirbridge
