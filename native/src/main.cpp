// The `fastthread` program: one binary, one subcommand per use.
#include <cstdio>
#include <cstring>
#include <string_view>

#include "parse_command.hpp"
#include "server/config.hpp"
#include "server/serve_command.hpp"
#include "server/tokens.hpp"

namespace {

constexpr const char* kUsage =
    "fastthread - parse, profile and transform CSV/TSV, NDJSON/JSON and access logs\n"
    "\n"
    "Usage:\n"
    "  fastthread parse FILE|- [options]   parse one file, print its summary, write the transform\n"
    "  fastthread serve [options]          run the web server (frontend, WebSocket, HTTP API) over\n"
    "                                      a pool of worker processes\n"
    "  fastthread token add|list|remove   manage the bearer tokens a server accepts (--tokens FILE)\n"
    "  fastthread help [COMMAND]           show help (also: fastthread COMMAND --help)\n"
    "  fastthread --version\n"
    "\n"
    "Run 'fastthread parse --help' or 'fastthread serve --help' for their options.\n";

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fputs(kUsage, stderr);
    return 2;
  }
  std::string_view command = argv[1];
  if (command == "parse") return fastthread::cli::parse_command(argc - 2, argv + 2);
  if (command == "serve") return fastthread::server::serve_command(argc - 2, argv + 2, argc, argv);
  if (command == "token") return fastthread::server::token_command(argc - 2, argv + 2);
  if (command == "--version" || command == "version") {
    std::printf("fastthread %s\n", FASTTHREAD_VERSION);
    return 0;
  }
  if (command == "help" || command == "--help" || command == "-h") {
    if (argc >= 3 && std::strcmp(argv[2], "parse") == 0) return fastthread::cli::parse_command_help();
    if (argc >= 3 && std::strcmp(argv[2], "serve") == 0) {
      std::fputs(fastthread::server::server_help().c_str(), stdout);
      return 0;
    }
    std::fputs(kUsage, stdout);
    return 0;
  }
  std::fprintf(stderr, "fastthread: unknown command '%s'\n\n%s", argv[1], kUsage);
  return 2;
}
