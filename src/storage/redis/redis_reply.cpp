#include "storage/redis/redis_reply.hpp"

#include <charconv>

namespace sccache::storage::redis {

namespace {

bool is_text(const redisReply& r) {
  return (r.type == REDIS_REPLY_STRING || r.type == REDIS_REPLY_STATUS) && (r.str || r.len == 0);
}

std::string_view text_of(const redisReply& r) {
  return r.len == 0 ? std::string_view{} : std::string_view(r.str, r.len);
}

// All of `digits` a decimal number that fits in 64 bits.
std::optional<std::uint64_t> whole_number(std::string_view digits) {
  std::uint64_t value = 0;
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
  if (ec != std::errc{} || end != digits.data() + digits.size() || digits.empty())
    return std::nullopt;
  return value;
}

// hiredis's own reply builders (the same for every reader), called once a reply is within bounds.
const redisReplyObjectFunctions* g_builders = nullptr;

void* bounded_array(const redisReadTask* task, int elements) {
  if (elements > k_max_reply_elements) return nullptr;  // hiredis: "out of memory", an error
  return g_builders->createArray(task, elements);
}

void* bounded_string(const redisReadTask* task, char* text, std::size_t size) {
  if (size > k_max_remote_blob) return nullptr;
  return g_builders->createString(task, text, size);
}

}  // namespace

void bound_replies(redisReader* reader) {
  if (!reader || !reader->fn) return;
  static redisReplyObjectFunctions bounded = [&] {
    g_builders = reader->fn;
    redisReplyObjectFunctions copy = *reader->fn;
    copy.createArray = bounded_array;
    copy.createString = bounded_string;
    return copy;
  }();
  reader->fn = &bounded;
}

util::Result<std::optional<std::string>> get_value(const redisReply& reply) {
  if (reply.type == REDIS_REPLY_NIL) return std::optional<std::string>{};
  if (reply.type != REDIS_REPLY_STRING || !is_text(reply))
    return util::fail(util::ErrorCode::corrupt, "Redis GET: unexpected reply");
  return std::optional<std::string>{std::string(text_of(reply))};
}

std::optional<std::uint64_t> config_number(const redisReply& reply) {
  if (reply.type != REDIS_REPLY_ARRAY || reply.elements < 2 || !reply.element) return std::nullopt;
  const redisReply* value = reply.element[1];
  if (!value || !is_text(*value)) return std::nullopt;
  return whole_number(text_of(*value));
}

std::optional<std::uint64_t> info_number(const redisReply& reply, std::string_view field) {
  if (!is_text(reply) || field.empty()) return std::nullopt;
  std::string_view text = text_of(reply);
  for (std::size_t start = 0; start < text.size();) {
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(start, end - start);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.size() > field.size() && line.starts_with(field) && line[field.size()] == ':')
      return whole_number(line.substr(field.size() + 1));
    start = end + 1;
  }
  return std::nullopt;
}

}  // namespace sccache::storage::redis
