// How nvcc 13.0 splits NVCC_APPEND_FLAGS, measured from the -D it passes to the preprocessor:
//   -DFOO=1    -DBAR=2   → -DFOO=1, -DBAR=2        (spaces and tabs separate)
//   -DFOO="a b"          → FOO="a b"               (the quotes group and stay)
//   "-DFOO=a b"          → "Don't know what to do with '"-DFOO=a b"'" (an input, quotes kept)
//   -DFOO='a b'          → -DFOO='a and b'         (single quotes are plain)
//   -DFOO=a\b            → FOO=ab;  -DFOO=a\ b and -DFOO=\"x\" → "Stray ... character"
//   -DFOO="a b           → "Stray '"' character"
//   -DFOO=1<newline>-DBAR=2 → one word with the newline in it
// Mozilla sccache splits with shlex (quotes removed): '-DFOO="a b"' gives it FOO=a b, not nvcc's.
#include "compiler/cuda/env_flags.hpp"

namespace sccache::compiler::cuda {

namespace {

const std::string* find_last(const std::vector<std::pair<std::string, std::string>>& env,
                             std::string_view name) {
  const std::string* found = nullptr;
  for (const auto& [key, value] : env) {
    if (key == name) found = &value;
  }
  return found;
}

}  // namespace

std::optional<std::vector<std::string>> split_env_flags(std::string_view value) {
  std::vector<std::string> words;
  std::string word;
  bool in_word = false;
  bool quoted = false;
  for (char c : value) {
    if (c == '\\') return std::nullopt;
    if (c == '"') quoted = !quoted;
    if (!quoted && (c == ' ' || c == '\t')) {
      if (in_word) words.push_back(std::move(word));
      word.clear();
      in_word = false;
      continue;
    }
    word.push_back(c);
    in_word = true;
  }
  if (quoted) return std::nullopt;
  if (in_word) words.push_back(std::move(word));
  return words;
}

tl::expected<std::vector<std::string>, CannotCache> with_env_flags(
    const std::vector<std::string>& args,
    const std::vector<std::pair<std::string, std::string>>& env) {
  std::vector<std::string> prepended;
  std::vector<std::string> appended;
  for (auto [name, words] :
       {std::pair{k_prepend_flags, &prepended}, std::pair{k_append_flags, &appended}}) {
    const std::string* value = find_last(env, name);
    if (!value) continue;
    auto split = split_env_flags(*value);
    if (!split) return tl::make_unexpected(CannotCache{std::string(name)});
    *words = std::move(*split);
  }
  std::vector<std::string> out = std::move(prepended);
  out.insert(out.end(), args.begin(), args.end());
  out.insert(out.end(), appended.begin(), appended.end());
  return out;
}

}  // namespace sccache::compiler::cuda
