// Reads a list of clients in id order, batch by batch (keyset paging), so a list of any length
// is rendered in bounded memory. A list may merge several sources: a caller who manages the
// clients of one company but not of another sees all clients of the first and only the
// assigned ones of the second, and core has no "or" between queries.
#pragma once

#include <cstdint>
#include <deque>
#include <optional>
#include <vector>

#include "clientgate/core/client_service.hpp"

namespace clientgate::dialects::legacy_xml {

struct ClientSource {
  core::Principal who;      // scope: the companies this source reads
  core::ClientQuery query;  // filters; sort is id ascending
};

class ClientCursor {
 public:
  ClientCursor(const core::ClientService& clients, std::vector<ClientSource> sources,
               std::size_t batch_size);

  // Counts every source and positions the cursor after the first `skip` rows. `wanted` (when
  // known) bounds the first read. Returns the number of all matching rows.
  std::int64_t open(std::int64_t skip, std::optional<std::int64_t> wanted);

  // At most `rows` more rows will be returned.
  void limit(std::int64_t rows) { remaining_ = rows; }

  // The next rows in id order (at most batch_size); empty at the end.
  std::vector<core::Client> next();

  // Whether next() has nothing more to give (true when it is known without reading).
  bool done() const;

 private:
  struct Reader {
    ClientSource source;
    std::deque<core::Client> buffer;
    std::optional<core::ClientId> last_id;
    bool exhausted = false;
  };
  void refill(Reader& reader);
  // The reader holding the smallest next id, refilling as needed; nullptr at the end.
  Reader* front();

  const core::ClientService& clients_;
  std::vector<Reader> readers_;
  std::size_t batch_size_;
  std::int64_t remaining_ = INT64_MAX;
};

}  // namespace clientgate::dialects::legacy_xml
