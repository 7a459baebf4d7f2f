// The built frontend, served from one folder and never from outside it.
#pragma once

#include <string>

#include "server/http_responses.hpp"
#include "server/http_target.hpp"

namespace fastthread::server {

// <repo>/frontend/dist when it exists (the source tree this binary was built from), else "".
std::string default_static_dir();

// GET/HEAD of `target.path` under `root` (canonical, or "" when there is no frontend:
// then "/" explains how to build it). `..` segments and paths that resolve (through
// symlinks) outside root are refused with 403; missing files are 404.
Response serve_static(const std::string& root, const Target& target, const RequestHeader& request);

// The Content-Type for a file name (application/wasm, text/javascript, ...).
const char* mime_type(const std::string& path);

}  // namespace fastthread::server
