// Who is asking, and whether a browser page may ask at all.
//
// Identity: with --tokens, a request is its bearer token's principal, and every job it
// makes belongs to that principal. Without tokens (loopback only, or --insecure-no-auth)
// there is nobody to name: each client is its own principal, named by a client id of 128
// random bits the server made, and the limits count per remote address.
//
// The browser boundary: a page on another origin must not drive the server through the
// visitor's browser (cross-site WebSocket hijacking), and a name that resolves to us must
// not make us its origin (DNS rebinding). So `Host` must be a name the server answers to,
// and `Origin`, when a browser sends one, must be the server's own or an allowed one.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "server/config.hpp"
#include "server/identity.hpp"
#include "server/refusal.hpp"
#include "server/tokens.hpp"

namespace fastthread::server {

class Access {
 public:
  // Reads --tokens; check error() afterwards.
  explicit Access(const ServerConfig& config);

  bool tokens_required() const { return tokens_ != nullptr; }
  const std::string& error() const { return error_; }
  std::size_t principals() const { return tokens_ ? tokens_->size() : 0; }
  // Reads the token file again (SIGHUP). On failure the old table stays and `error` says why.
  bool reload(std::string& error);
  // True while `principal` has a token (a removed one's connections are closed).
  bool known(const std::string& principal) const;

  // Host and Origin. `state_changing`: a WebSocket upgrade, POST, PUT or DELETE, which a
  // foreign page must not send; a GET it sends cannot read the answer without CORS.
  std::optional<Refusal> check_browser(std::string_view host, std::optional<std::string_view> origin,
                                       bool state_changing) const;
  // An allowed foreign origin that CORS should answer to (normalised); "" for none.
  std::string cors_origin(std::optional<std::string_view> origin) const;

  // The principal of `Authorization: Bearer TOKEN` (or a hello's token); without tokens,
  // nullopt-free: returns "" and the caller names the principal by client id.
  std::variant<std::string, Refusal> principal_of(std::string_view token) const;

  // A client id for a request that gave `asked` (maybe empty). Without tokens only an id
  // this server made is kept (it is the client's secret); anything else gets a fresh one.
  std::string client_id_for(std::string_view asked) const;

  // The whole identity of an authenticated request from `address`.
  Identity identity(const std::string& principal, const std::string& client_id, const std::string& address) const;

 private:
  const ServerConfig& config_;
  std::unique_ptr<TokenTable> tokens_;
  std::string error_;
};

// "Bearer TOKEN" -> TOKEN; "" when the header is absent or another scheme.
std::string_view bearer_token(std::string_view authorization);

// "scheme://host[:port]" in lower case with the scheme's default port left out; nullopt
// when `origin` is not of that form.
std::optional<std::string> normalise_origin(std::string_view origin);

}  // namespace fastthread::server
