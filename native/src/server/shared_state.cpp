#include "server/shared_state.hpp"

#include "server/json_log.hpp"

namespace fastthread::server {
namespace {

constexpr auto kPoolInterval = std::chrono::milliseconds(250);
// While workers are busy their memory and CPU change without any event: refresh them.
constexpr auto kBusyRefresh = std::chrono::seconds(1);

}  // namespace

SharedState::SharedState(boost::asio::io_context& io, ServerConfig config, Scheduler& scheduler)
    : io_(io),
      config_(std::move(config)),
      access_(config_),
      scheduler_(scheduler),
      jobs_(io, config_, scheduler, clients_, config_.data_dir + "/spool", config_.data_dir + "/results"),
      pool_timer_(io),
      connections_(config_.max_connections, config_.max_connections_per_address) {}

nlohmann::ordered_json SharedState::server_description() const {
  return {{"version", FASTTHREAD_VERSION},
          {"host", "server"},
          {"auth", access_.tokens_required() ? "token" : "none"},
          {"workers", scheduler_.configured_workers()},
          {"limits",
           {{"max_file_bytes", config_.max_file_bytes},
            {"max_queued_jobs", config_.max_queued_jobs},
            {"max_jobs_per_client", config_.max_jobs_per_client},
            {"max_jobs_per_minute", config_.max_jobs_per_minute},
            {"max_frame_bytes", config_.max_frame_bytes},
            {"max_text_bytes", config_.max_text_bytes},
            {"max_send_queue_bytes", config_.max_send_queue_bytes},
            {"ws_idle_timeout_ms", config_.ws_idle_timeout.count()},
            {"hello_timeout_ms", config_.hello_timeout.count()},
            {"job_timeout_ms", config_.job_timeout.count()},
            {"worker_memory_bytes", config_.worker_memory_bytes},
            {"upload_grace_ms", config_.upload_grace.count()}}}};
}

void SharedState::hello(ClientConnection& connection, const Identity& identity) {
  clients_.join(connection, identity.owner_key());
  jobs_.client_joined(identity);
  auto description = server_description();
  if (access_.tokens_required()) description["principal"] = identity.principal;
  clients_.send(connection, protocol::hello(identity.client_id, description));
  jobs_.replay(connection, identity);
  clients_.send(connection, pool_message());
}

void SharedState::leave(ClientConnection& connection, const Identity& identity) {
  if (stopping_) return;
  if (clients_.leave(connection, identity.owner_key())) jobs_.client_left(identity);
}

void SharedState::reload_tokens() {
  std::string error;
  if (!access_.reload(error)) {
    log_event("tokens_not_reloaded", {{"reason", error}});
    return;
  }
  std::size_t dropped = 0;
  for (ClientConnection* c : clients_.all()) {
    const Identity* who = c->identity();
    if (who && !access_.known(who->principal)) {
      c->drop("the token of '" + who->principal + "' was withdrawn");
      ++dropped;
    }
  }
  log_event("tokens_reloaded", {{"principals", access_.principals()}, {"connections_closed", dropped}});
}

nlohmann::ordered_json SharedState::pool_message() const {
  auto status = to_protocol(scheduler_.stats());
  // Every client hears this: it names no job, since a job's key is its owner's secret. A
  // client knows its own jobs' workers from their `start`.
  for (auto& worker : status.per_worker) worker.job.clear();
  return protocol::pool(status);
}

void SharedState::pool_changed() {
  if (stopping_) return;
  schedule_pool(std::max(Clock::now(), pool_sent_ + kPoolInterval));
}

// One timer serves both the coalescing and the busy refresh: the earlier time wins.
void SharedState::schedule_pool(Clock::time_point when) {
  if (pool_timer_armed_ && pool_timer_.expiry() <= when) return;
  pool_timer_armed_ = true;
  const std::uint64_t generation = ++pool_generation_;
  pool_timer_.expires_at(when);
  pool_timer_.async_wait([this, generation](boost::system::error_code ec) {
    if (ec || generation != pool_generation_) return;
    pool_timer_armed_ = false;
    send_pool();
  });
}

void SharedState::send_pool() {
  if (stopping_) return;
  pool_sent_ = Clock::now();
  auto message = pool_message();
  clients_.broadcast(message);
  if (message.value("busy", 0u) > 0) schedule_pool(pool_sent_ + kBusyRefresh);
}

}  // namespace fastthread::server
