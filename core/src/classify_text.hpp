// The text branch of classify(), for callers that rule out null tokens cheaply (internal).
#pragma once

#include <cstdint>
#include <string_view>

#include "fastthread/value.hpp"

namespace fastthread::detail {

// Bit n is set when some null token is n bytes long (bit 63 stands for 63 and longer), so
// a text whose length bit is clear cannot be a null token.
std::uint64_t null_token_lengths(const NullTokens& nulls);

inline bool may_be_null_token(std::uint64_t lengths, std::size_t size) {
  return (lengths >> (size < 63 ? size : 63)) & 1;
}

// classify() of a FieldKind::text field with type inference on, for a text that is not a
// null token.
Value classify_non_null_text(std::string_view text);

}  // namespace fastthread::detail
