#include "server/static_files.hpp"

#include <cctype>
#include <filesystem>

namespace fastthread::server {
namespace fs = std::filesystem;
namespace {

constexpr const char* kNotBuilt =
    "<!doctype html><meta charset=utf-8><title>FastThread</title>\n"
    "<h1>FastThread server is running</h1>\n"
    "<p>The frontend is not built yet. Build it with</p>\n"
    "<pre>npm --prefix frontend run build</pre>\n"
    "<p>or run everything with <code>./dev run</code>, then reload this page.\n"
    "(Or point the server at a built copy with <code>--static-dir DIR</code>.)</p>\n"
    "<p>The API works already: <a href=/healthz>/healthz</a>, <a href=/metrics>/metrics</a>,\n"
    "<a href=/api/jobs>/api/jobs</a>, and the WebSocket at /ws (docs/protocol.md).</p>\n";

bool ends_with(const std::string& s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// Bundlers put a content hash in the names of everything but index.html (and keep them
// under assets/): those never change, so browsers may keep them for a year.
bool is_hashed_asset(const std::string& relative) {
  if (relative.rfind("assets/", 0) == 0) return true;
  const std::string name = fs::path(relative).stem().string();
  const auto cut = name.find_last_of("-.");
  if (cut == std::string::npos) return false;
  const std::string hash = name.substr(cut + 1);
  if (hash.size() < 8) return false;
  bool digit = false;
  for (char c : hash) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_') return false;
    digit = digit || std::isdigit(static_cast<unsigned char>(c));
  }
  return digit;
}

}  // namespace

std::string default_static_dir() {
  std::error_code ec;
  const fs::path dist = fs::path(FASTTHREAD_SOURCE_DIR) / "frontend" / "dist";
  return fs::is_directory(dist, ec) ? dist.string() : "";
}

const char* mime_type(const std::string& path) {
  static const std::pair<const char*, const char*> types[] = {{".html", "text/html; charset=utf-8"},
                                                              {".js", "text/javascript; charset=utf-8"},
                                                              {".mjs", "text/javascript; charset=utf-8"},
                                                              {".css", "text/css; charset=utf-8"},
                                                              {".json", "application/json"},
                                                              {".map", "application/json"},
                                                              {".webmanifest", "application/manifest+json"},
                                                              {".wasm", "application/wasm"},
                                                              {".svg", "image/svg+xml"},
                                                              {".png", "image/png"},
                                                              {".jpg", "image/jpeg"},
                                                              {".ico", "image/x-icon"},
                                                              {".woff2", "font/woff2"},
                                                              {".woff", "font/woff"},
                                                              {".txt", "text/plain; charset=utf-8"},
                                                              {".csv", "text/csv; charset=utf-8"},
                                                              {".ndjson", "application/x-ndjson"}};
  std::string lower = path;
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  for (const auto& [ext, type] : types) {
    if (ends_with(lower, ext)) return type;
  }
  return "application/octet-stream";
}

Response serve_static(const std::string& root, const Target& target, const RequestHeader& request) {
  if (root.empty()) {
    if (target.path == "/" || target.path == "/index.html") {
      return text_response(request, http::status::ok, kNotBuilt, "text/html; charset=utf-8");
    }
    return error_response(request, ErrorCode::not_found, "no file " + target.path + " (the frontend is not built)");
  }
  std::string relative = target.path.substr(1);
  if (relative.empty() || relative.back() == '/') relative += "index.html";
  // Refuse any '..' (also one that came %-encoded: the path is decoded by now) or backslash.
  for (const auto& part : fs::path(relative)) {
    if (part == ".." || part.string().find('\\') != std::string::npos) {
      return error_response(request, ErrorCode::forbidden, "the path leaves the served folder");
    }
  }
  std::error_code ec;
  fs::path resolved = fs::canonical(fs::path(root) / relative, ec);
  if (ec) return error_response(request, ErrorCode::not_found, "no file " + target.path);
  // A symlink inside the folder may point anywhere: what counts is where it resolves.
  const std::string resolved_text = resolved.string();
  if (resolved_text != root && resolved_text.rfind(root + "/", 0) != 0) {
    return error_response(request, ErrorCode::forbidden, "the path leaves the served folder");
  }
  if (fs::is_directory(resolved, ec)) {
    return error_response(request, ErrorCode::not_found, "no file " + target.path + " (a folder)");
  }
  FileResponse res{http::status::ok, request.version()};
  error_code open_error;
  res.body().open(resolved_text.c_str(), beast::file_mode::scan, open_error);
  if (open_error) return error_response(request, ErrorCode::not_found, "cannot open " + target.path);
  res.set(http::field::server, "fastthread/" FASTTHREAD_VERSION);
  res.set(http::field::content_type, mime_type(resolved_text));
  res.set(http::field::cache_control,
          is_hashed_asset(relative) ? "public, max-age=31536000, immutable" : "no-cache");
  res.keep_alive(request.keep_alive());
  // A HEAD gets these headers without the file (HttpSession::send).
  res.prepare_payload();
  return res;
}

}  // namespace fastthread::server
