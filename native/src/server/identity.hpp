// Who a request or a job belongs to (server/access.hpp says how it is decided).
#pragma once

#include <string>

namespace fastthread::server {

struct Identity {
  std::string principal;    // whose jobs these are: a token's name, or the client id without tokens
  std::string client_id;    // one page or script of the principal (replay, its own job ids)
  std::string accountable;  // whose limits a job counts against: the principal, or "address IP"
  // The key of the client's jobs and connections: the same client id under two principals
  // names two clients.
  std::string owner_key() const { return principal + "/" + client_id; }
};

}  // namespace fastthread::server
