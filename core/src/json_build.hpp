// Building nlohmann::ordered_json documents without the library's slow paths (internal).
//
// A summary is rebuilt for every job, and a tiny job spends most of its time here: an
// initializer list deep-copies every member, operator[] searches the members for the key,
// and an object that grows member by member reallocates (copying its keys) on the way. The
// summary builders know their keys are new and how many there are, so they reserve and
// append. The document is the same, member for member.
#pragma once

#include <cstddef>
#include <nlohmann/json.hpp>
#include <string_view>
#include <utility>

namespace fastthread::detail {

using OrderedJson = nlohmann::ordered_json;

// An empty object with room for `members` members.
inline OrderedJson object_with(std::size_t members) {
  OrderedJson object(OrderedJson::value_t::object);
  object.get_ref<OrderedJson::object_t&>().reserve(members);
  return object;
}

// Appends a member whose key the object does not have yet (unlike operator[], no search).
template <typename Value>
void put(OrderedJson& object, std::string_view key, Value&& value) {
  object.get_ref<OrderedJson::object_t&>().emplace_back(std::piecewise_construct, std::forward_as_tuple(key),
                                                        std::forward_as_tuple(std::forward<Value>(value)));
}

// An empty array with room for `elements` elements.
inline OrderedJson array_with(std::size_t elements) {
  OrderedJson array(OrderedJson::value_t::array);
  array.get_ref<OrderedJson::array_t&>().reserve(elements);
  return array;
}

}  // namespace fastthread::detail
