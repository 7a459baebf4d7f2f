#include "server/result_store.hpp"

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "server/json_log.hpp"

namespace fastthread::server {
namespace fs = std::filesystem;

bool ResultStore::save(const ServerJob& job) const {
  if (!job.result) return false;
  nlohmann::ordered_json record;
  record["key"] = job.key;
  record["principal"] = job.owner->principal;
  record["client_id"] = job.owner->client_id;
  record["id"] = job.id;
  record["name"] = job.name;
  record["size"] = job.received;
  record["sha256"] = job.sha256 ? job.sha256->hex() : "";
  record["options"] = job.options();
  record["cache_key"] = job.result->cache_key;
  record["priority"] = job.priority;
  record["created"] = job.created_unix;
  record["ended"] = job.ended_unix;
  record["worker"] = job.worker ? nlohmann::ordered_json(*job.worker) : nlohmann::ordered_json(nullptr);
  record["timings"] = {{"queued_ms", job.timings.queued_ms},
                       {"process_ms", job.timings.process_ms},
                       {"total_ms", job.timings.total_ms}};
  record["output"] = {{"bytes", job.result->output_bytes}, {"format", job.result->output_format}};
  record["summary"] = job.result->summary;
  const std::string path = dir_ + "/" + job.key + ".json";
  const std::string temp = path + ".tmp";
  {
    std::ofstream out(temp, std::ios::binary | std::ios::trunc);
    out << record.dump() << "\n";
    if (!out.flush()) return false;
  }
  return ::rename(temp.c_str(), path.c_str()) == 0;
}

std::vector<std::unique_ptr<ServerJob>> ResultStore::load() const {
  std::vector<std::unique_ptr<ServerJob>> jobs;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(dir_, ec)) {
    const fs::path path = entry.path();
    if (path.extension() != ".json") {
      // Temp files of a save that never finished.
      if (path.extension() == ".tmp") fs::remove(path, ec);
      continue;
    }
    std::ifstream in(path, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    try {
      auto r = nlohmann::ordered_json::parse(text.str());
      auto job = std::make_unique<ServerJob>();
      job->key = r.at("key").get<std::string>();
      auto owner = std::make_shared<Identity>();
      owner->client_id = r.at("client_id").get<std::string>();
      // Results from before owners had principals belong to their client id, as without tokens.
      owner->principal = r.value("principal", owner->client_id);
      owner->accountable = owner->principal;
      job->owner = std::move(owner);
      job->result = std::make_unique<JobResult>();
      job->id = r.at("id").get<std::string>();
      job->name = r.at("name").get<std::string>();
      job->size = r.at("size").get<std::uint64_t>();
      job->received = *job->size;
      job->upload_complete = true;
      job->sha256 = Sha256::from_hex(r.at("sha256").get<std::string>());
      // As stored: the registry puts them in canonical spelling (JobRegistry::load_results).
      job->options_key = std::make_shared<const std::string>(r.at("options").dump());
      job->result->cache_key = r.at("cache_key").get<std::string>();
      if (!r.contains("principal")) job->result->cache_key = job->owner->principal + "|" + job->result->cache_key;
      job->priority = r.at("priority").get<int>();
      job->created_unix = r.at("created").get<double>();
      if (r.at("worker").is_number()) job->worker = r["worker"].get<unsigned>();
      job->timings = {r["timings"].at("queued_ms").get<double>(), r["timings"].at("process_ms").get<double>(),
                      r["timings"].at("total_ms").get<double>()};
      job->result->output_bytes = r.at("output").at("bytes").get<std::uint64_t>();
      job->result->output_format = r["output"].at("format").get<std::string>();
      job->result->summary = r.at("summary");
      job->ended_unix = r.value("ended", job->created_unix + job->timings.total_ms / 1000);
      job->phase = JobPhase::done;
      if (job->key + ".json" != path.filename().string())
        throw std::runtime_error("key does not match the file name");
      jobs.push_back(std::move(job));
    } catch (const std::exception& e) {
      log_event("result_skipped", {{"path", path.string()}, {"reason", e.what()}});
    }
  }
  return jobs;
}

bool ResultStore::share_output(const std::string& from, const std::string& to) const {
  std::error_code ec;
  if (!fs::exists(output_path(from), ec)) return true;  // no output (format none)
  if (::link(output_path(from).c_str(), output_path(to).c_str()) == 0) return true;
  return fs::copy_file(output_path(from), output_path(to), fs::copy_options::overwrite_existing, ec);
}

void ResultStore::remove(const std::string& key) const {
  std::error_code ec;
  fs::remove(dir_ + "/" + key + ".json", ec);
  fs::remove(output_path(key), ec);
}

}  // namespace fastthread::server
