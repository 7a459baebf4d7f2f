// Names nobody can guess: job keys, client ids and download tickets carry 128 bits (or
// more) from the operating system's generator, because knowing one is what lets a client
// reach the thing it names.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace fastthread::server {

// `bytes` random bytes from getrandom(2), as 2 * bytes lowercase hex digits.
std::string random_hex(std::size_t bytes);

// `prefix` followed by 128 random bits in hex: "c-" + 32 digits, for instance.
inline std::string random_id(std::string_view prefix) {
  return std::string(prefix) + random_hex(16);
}

// True for "PREFIX" followed by exactly 32 lowercase hex digits: an id random_id made.
bool is_random_id(std::string_view id, std::string_view prefix);

}  // namespace fastthread::server
