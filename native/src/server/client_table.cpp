#include "server/client_table.hpp"

namespace fastthread::server {
namespace {

std::shared_ptr<const std::string> text_of(const nlohmann::ordered_json& message) {
  return std::make_shared<const std::string>(
      message.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace));
}

}  // namespace

void ClientTable::join(ClientConnection& connection, const std::string& owner_key) {
  by_client_[owner_key].insert(&connection);
  all_.insert(&connection);
}

bool ClientTable::leave(ClientConnection& connection, const std::string& owner_key) {
  all_.erase(&connection);
  auto it = by_client_.find(owner_key);
  if (it == by_client_.end()) return false;
  it->second.erase(&connection);
  if (!it->second.empty()) return false;
  by_client_.erase(it);
  return true;
}

bool ClientTable::connected(const std::string& owner_key) const {
  return by_client_.count(owner_key) > 0;
}

void ClientTable::send(const std::string& owner_key, const nlohmann::ordered_json& message) {
  auto it = by_client_.find(owner_key);
  if (it == by_client_.end()) return;
  auto text = text_of(message);
  // A send may not remove connections (writes complete later), so iterating is safe.
  for (ClientConnection* c : it->second) c->send(text);
}

void ClientTable::send(ClientConnection& connection, const nlohmann::ordered_json& message) {
  connection.send(text_of(message));
}

void ClientTable::broadcast(const nlohmann::ordered_json& message) {
  auto text = text_of(message);
  for (ClientConnection* c : all_) c->send(text);
}

}  // namespace fastthread::server
