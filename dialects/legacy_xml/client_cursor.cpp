#include "client_cursor.hpp"

#include <algorithm>

namespace clientgate::dialects::legacy_xml {

ClientCursor::ClientCursor(const core::ClientService& clients, std::vector<ClientSource> sources,
                           std::size_t batch_size)
    : clients_(clients), batch_size_(std::max<std::size_t>(batch_size, 1)) {
  for (auto& source : sources) {
    source.query.sort = core::ClientColumn::id;
    source.query.descending = false;
    readers_.push_back(Reader{std::move(source), {}, std::nullopt, false});
  }
}

std::int64_t ClientCursor::open(std::int64_t skip, std::optional<std::int64_t> wanted) {
  auto batch = static_cast<std::int64_t>(batch_size_);
  std::int64_t total = 0;
  if (readers_.size() == 1) {
    // One source: the store skips the rows itself.
    auto& reader = readers_.front();
    core::ClientQuery query = reader.source.query;
    query.offset = skip;
    query.limit = std::max<std::int64_t>(1, std::min(batch, wanted.value_or(batch)));
    query.count_total = true;
    std::int64_t asked = *query.limit;
    auto page = clients_.list(reader.source.who, std::move(query));
    total = page.total;
    reader.exhausted = static_cast<std::int64_t>(page.items.size()) < asked;
    if (!page.items.empty()) reader.last_id = page.items.back().id;
    reader.buffer.assign(std::make_move_iterator(page.items.begin()),
                         std::make_move_iterator(page.items.end()));
    return total;
  }
  for (auto& reader : readers_) {
    core::ClientQuery query = reader.source.query;
    query.offset = 0;
    query.limit = batch;
    query.count_total = true;
    auto page = clients_.list(reader.source.who, std::move(query));
    total += page.total;
    reader.exhausted = static_cast<std::int64_t>(page.items.size()) < batch;
    if (!page.items.empty()) reader.last_id = page.items.back().id;
    reader.buffer.assign(std::make_move_iterator(page.items.begin()),
                         std::make_move_iterator(page.items.end()));
  }
  for (std::int64_t skipped = 0; skipped < skip; ++skipped) {
    Reader* reader = front();
    if (!reader) break;
    reader->buffer.pop_front();
  }
  return total;
}

void ClientCursor::refill(Reader& reader) {
  if (reader.exhausted || !reader.buffer.empty()) return;
  core::ClientQuery query = reader.source.query;
  query.offset = 0;
  query.after_id = reader.last_id;
  query.limit = static_cast<std::int64_t>(batch_size_);
  query.count_total = false;
  auto page = clients_.list(reader.source.who, std::move(query));
  reader.exhausted = page.items.size() < batch_size_;
  if (!page.items.empty()) reader.last_id = page.items.back().id;
  reader.buffer.assign(std::make_move_iterator(page.items.begin()),
                       std::make_move_iterator(page.items.end()));
}

ClientCursor::Reader* ClientCursor::front() {
  Reader* best = nullptr;
  for (auto& reader : readers_) {
    refill(reader);
    if (reader.buffer.empty()) continue;
    if (!best || reader.buffer.front().id < best->buffer.front().id) best = &reader;
  }
  return best;
}

std::vector<core::Client> ClientCursor::next() {
  std::vector<core::Client> out;
  while (remaining_ > 0 && out.size() < batch_size_) {
    Reader* reader = front();
    if (!reader) break;
    out.push_back(std::move(reader->buffer.front()));
    reader->buffer.pop_front();
    --remaining_;
  }
  return out;
}

bool ClientCursor::done() const {
  if (remaining_ <= 0) return true;
  return std::all_of(readers_.begin(), readers_.end(),
                     [](const Reader& r) { return r.exhausted && r.buffer.empty(); });
}

}  // namespace clientgate::dialects::legacy_xml
