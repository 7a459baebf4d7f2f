// Who is connected: the WebSocket connections of each client id, and sending to them.
// Jobs belong to a client id, not to a connection, so a client may have several tabs
// open, or none for a while.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <set>
#include <string>

namespace fastthread::server {

// What the server needs of a connection: a way to queue a text message.
class ClientConnection {
 public:
  virtual ~ClientConnection() = default;
  virtual void send(std::shared_ptr<const std::string> text) = 0;
};

class ClientTable {
 public:
  void join(ClientConnection& connection, const std::string& client_id);
  // Returns true when it was the client's last connection.
  bool leave(ClientConnection& connection, const std::string& client_id);
  bool connected(const std::string& client_id) const;

  void send(const std::string& client_id, const nlohmann::ordered_json& message);
  void send(ClientConnection& connection, const nlohmann::ordered_json& message);
  void broadcast(const nlohmann::ordered_json& message);

  std::size_t connections() const { return all_.size(); }
  // A new client id, "c-" and 16 hex digits.
  static std::string new_client_id();

 private:
  std::map<std::string, std::set<ClientConnection*>> by_client_;
  std::set<ClientConnection*> all_;
};

}  // namespace fastthread::server
