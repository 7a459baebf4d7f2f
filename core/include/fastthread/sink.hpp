// Where transformed output goes: a sink takes it in pieces.
#pragma once

#include <string_view>

namespace fastthread {

class OutputSink {
 public:
  virtual ~OutputSink() = default;
  // Called with pieces of output in order; a piece is valid only during the call.
  virtual void write(std::string_view bytes) = 0;
};

}  // namespace fastthread
