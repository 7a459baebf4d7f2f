#include "server/metrics.hpp"

#include <sstream>

namespace fastthread::server {
namespace {

class Writer {
 public:
  void family(const char* name, const char* type, const char* help) {
    out_ << "# HELP " << name << ' ' << help << "\n# TYPE " << name << ' ' << type << '\n';
  }
  template <class T>
  void sample(const std::string& name, const std::string& labels, T value) {
    out_ << name;
    if (!labels.empty()) out_ << '{' << labels << '}';
    out_ << ' ' << value << '\n';
  }
  std::string text() const { return out_.str(); }

 private:
  std::ostringstream out_;
};

}  // namespace

std::string render_metrics(SharedState& state) {
  const auto& jobs = state.jobs();
  const JobMetrics& m = jobs.metrics();
  const pool::PoolStats pool = state.scheduler().stats();
  Writer w;

  w.family("fastthread_jobs", "gauge", "Jobs the server holds, by state (queued: waiting for bytes or a worker).");
  for (const char* name : {"queued", "running", "done", "failed", "cancelled"}) {
    std::size_t n = 0;
    for (std::size_t p = 0; p < kJobPhases; ++p) {
      if (public_state(static_cast<JobPhase>(p)) == name) n += jobs.count(static_cast<JobPhase>(p));
    }
    w.sample("fastthread_jobs", std::string("state=\"") + name + "\"", n);
  }
  w.family("fastthread_jobs_ended_total", "counter",
           "Jobs that ended since the server started, by final state.");
  for (const char* s : {"done", "failed", "cancelled"}) {
    auto it = m.ended.find(s);
    w.sample("fastthread_jobs_ended_total", std::string("state=\"") + s + "\"",
             it == m.ended.end() ? 0 : it->second);
  }
  w.family("fastthread_queue_length", "gauge", "Jobs waiting for a worker.");
  w.sample("fastthread_queue_length", "", pool.queued);
  w.family("fastthread_workers", "gauge", "Worker processes alive.");
  w.sample("fastthread_workers", "", pool.workers);
  w.family("fastthread_workers_busy", "gauge", "Worker processes running a job.");
  w.sample("fastthread_workers_busy", "", pool.busy);
  w.family("fastthread_uploaded_bytes_total", "counter", "Bytes of files received (WebSocket and HTTP).");
  w.sample("fastthread_uploaded_bytes_total", "", m.bytes_uploaded);
  w.family("fastthread_parsed_bytes_total", "counter", "Bytes of files the workers have read (compressed ones as uploaded).");
  w.sample("fastthread_parsed_bytes_total", "", m.bytes_parsed);
  w.family("fastthread_spool_bytes", "gauge", "Bytes held for uploads in progress (--max-spool-bytes).");
  w.sample("fastthread_spool_bytes", "", jobs.admission().spool_bytes());
  w.family("fastthread_uploads_yielded_total", "counter", "Times a stalled upload gave its worker back.");
  w.sample("fastthread_uploads_yielded_total", "", m.yielded);
  w.family("fastthread_connections", "gauge", "Open HTTP and WebSocket connections.");
  w.sample("fastthread_connections", "", state.connections().open());
  w.family("fastthread_worker_rss_bytes", "gauge", "Resident memory of each worker process.");
  for (const auto& wk : pool.per_worker) {
    w.sample("fastthread_worker_rss_bytes", "worker=\"" + std::to_string(wk.index) + "\"", wk.rss_bytes);
  }
  w.family("fastthread_worker_cpu_seconds_total", "counter", "CPU time of each worker process.");
  for (const auto& wk : pool.per_worker) {
    w.sample("fastthread_worker_cpu_seconds_total", "worker=\"" + std::to_string(wk.index) + "\"",
             wk.cpu_seconds);
  }
  w.family("fastthread_job_duration_seconds", "histogram", "Time from start to end of each job.");
  for (std::size_t i = 0; i < std::size(JobMetrics::kBuckets); ++i) {
    std::ostringstream le;
    le << JobMetrics::kBuckets[i];
    w.sample("fastthread_job_duration_seconds_bucket", "le=\"" + le.str() + "\"", m.bucket_counts[i]);
  }
  w.sample("fastthread_job_duration_seconds_bucket", "le=\"+Inf\"", m.duration_count);
  w.sample("fastthread_job_duration_seconds_sum", "", m.duration_sum);
  w.sample("fastthread_job_duration_seconds_count", "", m.duration_count);
  return w.text();
}

}  // namespace fastthread::server
