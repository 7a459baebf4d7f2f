// `fastthread serve`: the master process (see docs/protocol.md for what it speaks).
#pragma once

namespace fastthread::server {

// `argc/argv` are the arguments after "serve"; `program_argc/argv` main()'s own, which
// the workers overwrite with their titles. Returns the exit code.
int serve_command(int argc, char** argv, int program_argc, char** program_argv);

}  // namespace fastthread::server
