// Who is connected: the WebSocket connections of each client (by its Identity's owner
// key), and sending to them. Jobs belong to a client, not to a connection, so a client may
// have several tabs open, or none for a while.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "server/identity.hpp"

namespace fastthread::server {

// What the server needs of a connection: a way to queue a text message, whose it is, and
// a way to end it.
class ClientConnection {
 public:
  virtual ~ClientConnection() = default;
  virtual void send(std::shared_ptr<const std::string> text) = 0;
  virtual const Identity* identity() const = 0;
  // Closes the connection, telling the client why (its jobs go on as after any disconnect).
  virtual void drop(const std::string& reason) = 0;
};

class ClientTable {
 public:
  void join(ClientConnection& connection, const std::string& owner_key);
  // Returns true when it was the client's last connection.
  bool leave(ClientConnection& connection, const std::string& owner_key);
  bool connected(const std::string& owner_key) const;

  void send(const std::string& owner_key, const nlohmann::ordered_json& message);
  void send(ClientConnection& connection, const nlohmann::ordered_json& message);
  void broadcast(const nlohmann::ordered_json& message);

  std::size_t connections() const { return all_.size(); }
  std::vector<ClientConnection*> all() const { return {all_.begin(), all_.end()}; }

 private:
  std::map<std::string, std::set<ClientConnection*>> by_client_;
  std::set<ClientConnection*> all_;
};

}  // namespace fastthread::server
