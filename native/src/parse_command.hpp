// `fastthread parse`: one file through the core, no server.
#pragma once

namespace fastthread::cli {

// Exit codes of `fastthread parse` (documented in its --help and README).
enum ExitCode : int {
  kExitOk = 0,          // done; bad rows within --max-errors are listed in the summary
  kExitInputError = 1,  // the input broke the job: more bad rows than --max-errors, or not text
  kExitUsage = 2,       // bad command line
  kExitIoError = 3,     // a file could not be read or written
  kExitCancelled = 130, // interrupted (SIGINT); the summary says "cancelled"
};

int parse_command(int argc, char** argv);
int parse_command_help();

}  // namespace fastthread::cli
