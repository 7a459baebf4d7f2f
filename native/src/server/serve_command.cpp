#include "server/serve_command.hpp"

#include <unistd.h>

#include <boost/asio/signal_set.hpp>
#include <csignal>
#include <cstdio>
#include <filesystem>

#include "server/json_log.hpp"
#include "server/listener.hpp"
#include "server/listening_line.hpp"
#include "server/open_files.hpp"
#include "server/static_files.hpp"

namespace fastthread::server {
namespace fs = std::filesystem;
namespace {

// Leftovers of a run that did not end cleanly, and what a run leaves at its end.
void empty_spool(const std::string& spool_dir) {
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(spool_dir, ec)) fs::remove_all(entry.path(), ec);
}

// Makes the folders and resolves every path once, so workers and checks see absolute ones.
bool prepare_folders(ServerConfig& config) {
  std::error_code ec;
  fs::create_directories(fs::path(config.data_dir) / "spool", ec);
  if (!ec) fs::create_directories(fs::path(config.data_dir) / "results", ec);
  if (ec) {
    std::fprintf(stderr, "fastthread serve: cannot create %s: %s\n", config.data_dir.c_str(),
                 ec.message().c_str());
    return false;
  }
  config.data_dir = fs::canonical(config.data_dir).string();
  if (config.static_dir.empty()) config.static_dir = default_static_dir();
  if (!config.static_dir.empty()) {
    auto root = fs::canonical(config.static_dir, ec);
    if (ec || !fs::is_directory(root)) {
      std::fprintf(stderr, "fastthread serve: --static-dir %s is not a folder\n", config.static_dir.c_str());
      return false;
    }
    config.static_dir = root.string();
  }
  return true;
}

// The start line's account of the open-file limit, and of --max-connections when it had
// to be lowered to fit.
nlohmann::ordered_json open_files_description(const OpenFileLimit& files, const ConnectionBudget& budget,
                                              std::uint64_t asked) {
  nlohmann::ordered_json out = {{"limit", files.soft},
                                {"raised_from", files.was},
                                {"reserved", budget.reserved},
                                {"max_connections", budget.max_connections}};
  if (budget.lowered) out["max_connections_lowered_from"] = asked;
  return out;
}

}  // namespace

int serve_command(int argc, char** argv, int program_argc, char** program_argv) {
  bool help = false;
  auto parsed = parse_server_config(argc, argv, help);
  if (!parsed) return help ? 0 : 2;
  ServerConfig config = *parsed;
  if (!prepare_folders(config)) return 3;
  const std::string spool_dir = config.data_dir + "/spool";
  empty_spool(spool_dir);
  std::signal(SIGPIPE, SIG_IGN);

  net::io_context io{1};
  // Declared before the pool: its events reach the state through this, and find it empty
  // (or stopping) while the pool is torn down.
  std::shared_ptr<SharedState> state;
  pool::PoolEvents events;
  events.started = [&state](const std::string& key, unsigned worker, int) {
    if (state && !state->stopping()) state->jobs().on_started(key, worker);
  };
  events.progress = [&state](const std::string& key, const pool::ProgressMessage& progress) {
    if (state && !state->stopping()) state->jobs().on_progress(key, progress.bytes, progress.rows);
  };
  events.finished = [&state](const std::string& key, const pool::JobOutcome& outcome) {
    if (state && !state->stopping()) state->jobs().on_finished(key, outcome);
  };
  events.changed = [&state] {
    if (state && !state->stopping()) state->pool_changed();
  };
  Scheduler scheduler(io, config, program_argc, program_argv, std::move(events));
  const std::uint64_t asked_connections = config.max_connections;
  const auto files = raise_open_file_limit();
  const auto budget =
      budget_connections(files.soft, scheduler.configured_workers(), kAnsweredRefusals, config.max_connections);
  if (budget.max_connections == 0) {
    std::fprintf(stderr,
                 "fastthread serve: the open-file limit of %llu leaves no room for connections: the server\n"
                 "needs %llu descriptors for itself with %u workers, and %llu per connection. Raise it (ulimit -n)\n",
                 static_cast<unsigned long long>(files.soft), static_cast<unsigned long long>(budget.reserved),
                 scheduler.configured_workers(), static_cast<unsigned long long>(kDescriptorsPerConnection));
    return 3;
  }
  if (budget.lowered) {
    std::fprintf(stderr,
                 "fastthread serve: the open-file limit of %llu leaves room for %llu connections: --max-connections "
                 "lowered from %llu (raise the limit with ulimit -n)\n",
                 static_cast<unsigned long long>(files.soft), static_cast<unsigned long long>(budget.max_connections),
                 static_cast<unsigned long long>(asked_connections));
  }
  config.max_connections = budget.max_connections;
  // Fork the workers first, while this process has no thread and no socket open.
  scheduler.start();
  state = std::make_shared<SharedState>(io, config, scheduler);
  if (!state->access().error().empty()) {
    std::fprintf(stderr, "fastthread serve: %s\n", state->access().error().c_str());
    state->set_stopping();
    return 2;
  }
  state->jobs().load_results();

  error_code ec;
  tcp::resolver resolver(io);
  auto endpoints = resolver.resolve(config.host, std::to_string(config.port), ec);
  if (ec || endpoints.empty()) {
    std::fprintf(stderr, "fastthread serve: cannot resolve --host %s: %s\n", config.host.c_str(),
                 ec.message().c_str());
    state->set_stopping();
    return 3;
  }
  const auto endpoint = endpoints.begin()->endpoint();
  // Without tokens anyone who reaches the port can use the server: only this machine may,
  // unless the operator says otherwise in so many words.
  if (!state->access().tokens_required() && !endpoint.address().is_loopback() && !config.insecure_no_auth) {
    std::fprintf(stderr,
                 "fastthread serve: --host %s is not a loopback address, and without --tokens anyone who\n"
                 "reaches it could use the server. Give --tokens FILE (fastthread token add NAME), or\n"
                 "--insecure-no-auth if that is really meant.\n",
                 config.host.c_str());
    state->set_stopping();
    return 2;
  }
  auto listener = std::make_shared<Listener>(io, endpoint, state, ec);
  if (ec) {
    std::fprintf(stderr, "fastthread serve: cannot listen on %s:%u: %s\n", config.host.c_str(), config.port,
                 ec.message().c_str());
    state->set_stopping();
    return 3;
  }
  listener->run();
  const auto bound = listener->local_endpoint();
  std::string shown_host =
      bound.address().is_v6() ? "[" + bound.address().to_string() + "]" : bound.address().to_string();
  if (!state->access().tokens_required()) {
    std::fprintf(stderr, endpoint.address().is_loopback()
                             ? "fastthread serve: no --tokens: serving this machine only (%s); each client owns its "
                               "jobs by its client id\n"
                             : "fastthread serve: no --tokens and --insecure-no-auth: anyone who reaches %s can use "
                               "the server\n",
                 shown_host.c_str());
  }
  std::fputs(listening_line(shown_host, bound.port()).c_str(), stdout);
  std::fflush(stdout);
  log_event("startup", {{"address", shown_host},
                        {"auth", state->access().tokens_required() ? "token" : "none"},
                        {"principals", state->access().principals()},
                        {"port", bound.port()},
                        {"workers", scheduler.configured_workers()},
                        {"data_dir", config.data_dir},
                        {"static_dir", config.static_dir},
                        {"pid", ::getpid()},
                        {"limits", state->server_description()["limits"]},
                        {"open_files", open_files_description(files, budget, asked_connections)}});

  bool stopped = false;
  auto finish = [&] {
    if (stopped) return;
    stopped = true;
    state->set_stopping();
    listener->stop();
    empty_spool(spool_dir);
    const auto& m = state->jobs().metrics();
    log_event("shutdown", {{"jobs_done", m.ended.count("done") ? m.ended.at("done") : 0},
                           {"jobs_failed", m.ended.count("failed") ? m.ended.at("failed") : 0},
                           {"jobs_cancelled", m.ended.count("cancelled") ? m.ended.at("cancelled") : 0}});
    io.stop();
  };
  net::signal_set signals(io, SIGINT, SIGTERM);
  int signals_seen = 0;
  std::function<void(error_code, int)> on_signal = [&](error_code sig_ec, int signal_number) {
    if (sig_ec) return;
    ++signals_seen;
    state->set_draining();
    if (signals_seen == 1 && signal_number == SIGTERM) {
      log_event("draining", {{"drain_timeout_ms", config.drain_timeout.count()}});
      scheduler.shutdown(true, config.drain_timeout, finish);
      signals.async_wait(on_signal);
    } else {
      listener->stop();
      log_event("stopping", {{"signal", signal_number == SIGINT ? "SIGINT" : "SIGTERM"}});
      scheduler.shutdown(false, std::chrono::milliseconds(0), finish);
    }
  };
  signals.async_wait(on_signal);
  // SIGHUP reads the token file again; connections of a principal no longer in it close.
  net::signal_set hangup(io, SIGHUP);
  std::function<void(error_code, int)> on_hangup = [&](error_code hup_ec, int) {
    if (hup_ec) return;
    state->reload_tokens();
    hangup.async_wait(on_hangup);
  };
  hangup.async_wait(on_hangup);
  io.run();
  // Sessions still open are destroyed with the io_context; they must not touch the jobs.
  state->set_stopping();
  empty_spool(spool_dir);
  return 0;
}

}  // namespace fastthread::server
