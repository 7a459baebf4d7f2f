#include "server/access.hpp"

#include <boost/asio/ip/address.hpp>
#include <cctype>

#include "fastthread/protocol.hpp"
#include "server/random_id.hpp"

namespace fastthread::server {
namespace {

std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

struct HostPort {
  std::string host;  // lower case, without brackets or a trailing dot
  std::string port;  // "" when none was given
};

// "example.com:8080", "[::1]:80", "127.0.0.1" -> host and port.
std::optional<HostPort> split_host(std::string_view text) {
  HostPort out;
  if (text.empty()) return std::nullopt;
  if (text.front() == '[') {
    const auto close = text.find(']');
    if (close == std::string_view::npos) return std::nullopt;
    out.host = lower(text.substr(1, close - 1));
    std::string_view rest = text.substr(close + 1);
    if (!rest.empty()) {
      if (rest.front() != ':') return std::nullopt;
      out.port = std::string(rest.substr(1));
    }
  } else {
    const auto colon = text.find(':');
    if (colon != text.rfind(':')) return std::nullopt;  // an IPv6 address needs brackets
    out.host = lower(text.substr(0, colon));
    if (colon != std::string_view::npos) out.port = std::string(text.substr(colon + 1));
  }
  if (!out.host.empty() && out.host.back() == '.') out.host.pop_back();
  if (out.host.empty()) return std::nullopt;
  for (char c : out.port) {
    if (c < '0' || c > '9') return std::nullopt;
  }
  for (char c : out.host) {
    const bool ok = std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.' || c == ':' || c == '_';
    if (!ok) return std::nullopt;
  }
  return out;
}

bool is_ip_literal(const std::string& host) {
  boost::system::error_code ec;
  boost::asio::ip::make_address(host, ec);
  return !ec;
}

const char* default_port(std::string_view scheme) {
  return scheme == "https" || scheme == "wss" ? "443" : "80";
}

}  // namespace

std::string_view bearer_token(std::string_view authorization) {
  constexpr std::string_view scheme = "bearer ";
  if (authorization.size() <= scheme.size() || lower(authorization.substr(0, scheme.size())) != scheme) return {};
  std::string_view token = authorization.substr(scheme.size());
  while (!token.empty() && token.front() == ' ') token.remove_prefix(1);
  while (!token.empty() && token.back() == ' ') token.remove_suffix(1);
  return token;
}

std::optional<std::string> normalise_origin(std::string_view origin) {
  const auto sep = origin.find("://");
  if (sep == std::string_view::npos) return std::nullopt;
  const std::string scheme = lower(origin.substr(0, sep));
  if (scheme != "http" && scheme != "https") return std::nullopt;
  std::string_view rest = origin.substr(sep + 3);
  if (!rest.empty() && rest.back() == '/') rest.remove_suffix(1);
  if (rest.find('/') != std::string_view::npos) return std::nullopt;
  auto hp = split_host(rest);
  if (!hp) return std::nullopt;
  std::string host = hp->host.find(':') != std::string::npos ? "[" + hp->host + "]" : hp->host;
  std::string out = scheme + "://" + host;
  if (!hp->port.empty() && hp->port != default_port(scheme)) out += ":" + hp->port;
  return out;
}

Access::Access(const ServerConfig& config) : config_(config) {
  if (config.tokens_file.empty()) return;
  auto table = TokenTable::load(config.tokens_file, error_);
  if (table) tokens_ = std::make_unique<TokenTable>(std::move(*table));
}

bool Access::reload(std::string& error) {
  if (!tokens_) return true;
  auto table = TokenTable::load(config_.tokens_file, error);
  if (!table) return false;
  *tokens_ = std::move(*table);
  return true;
}

bool Access::known(const std::string& principal) const {
  return !tokens_ || tokens_->has(principal);
}

std::optional<Refusal> Access::check_browser(std::string_view host, std::optional<std::string_view> origin,
                                             bool state_changing) const {
  auto hp = split_host(host);
  if (!hp) return Refusal{ErrorCode::forbidden, "the Host header '" + std::string(host) + "' is not a host name"};
  bool named = hp->host == "localhost" || is_ip_literal(hp->host);
  for (const auto& allowed : config_.allow_hosts) named = named || lower(allowed) == hp->host;
  if (!named) {
    return Refusal{ErrorCode::forbidden, "this server does not answer to the name '" + hp->host +
                                             "' (--allow-host names the ones it does)"};
  }
  if (!origin || !state_changing) return std::nullopt;
  auto normal = normalise_origin(*origin);
  if (!normal) {
    return Refusal{ErrorCode::forbidden, "requests from the origin '" + std::string(*origin) + "' are refused"};
  }
  // The server's own origin: the page came from the name and port it asked for.
  const std::string scheme = normal->substr(0, normal->find(':'));
  const std::string port = hp->port.empty() ? default_port(scheme) : hp->port;
  const std::string shown = hp->host.find(':') != std::string::npos ? "[" + hp->host + "]" : hp->host;
  if (*normal == scheme + "://" + shown + (port == default_port(scheme) ? "" : ":" + port)) return std::nullopt;
  if (!cors_origin(origin).empty()) return std::nullopt;
  return Refusal{ErrorCode::forbidden, "pages from " + *normal +
                                           " may not use this server (--allow-origin names the ones that may)"};
}

std::string Access::cors_origin(std::optional<std::string_view> origin) const {
  if (!origin) return "";
  auto normal = normalise_origin(*origin);
  if (!normal) return "";
  for (const auto& allowed : config_.allow_origins) {
    if (normalise_origin(allowed) == normal) return *normal;
  }
  return "";
}

std::variant<std::string, Refusal> Access::principal_of(std::string_view token) const {
  if (!tokens_) return std::string();
  if (token.empty()) {
    return Refusal{ErrorCode::unauthorized,
                   "this server needs a bearer token (Authorization: Bearer TOKEN); its operator makes "
                   "one with 'fastthread token add NAME'"};
  }
  if (auto principal = tokens_->principal(token)) return *principal;
  return Refusal{ErrorCode::unauthorized, "the bearer token is not one this server knows"};
}

std::string Access::client_id_for(std::string_view asked) const {
  if (tokens_) return protocol::is_valid_job_id(asked) ? std::string(asked) : random_id("c-");
  return is_random_id(asked, "c-") ? std::string(asked) : random_id("c-");
}

Identity Access::identity(const std::string& principal, const std::string& client_id,
                          const std::string& address) const {
  if (tokens_) return Identity{principal, client_id, principal};
  return Identity{client_id, client_id, "address " + address};
}

}  // namespace fastthread::server
