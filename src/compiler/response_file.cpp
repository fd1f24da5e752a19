#include "compiler/response_file.hpp"

#include <filesystem>

#include "util/fs.hpp"

namespace sccache::compiler {

namespace {

// What an expansion has used so far, against the limits in the header.
struct Budget {
  int files = 0;
  std::size_t bytes = 0;
};

bool expand_into(const std::vector<std::string>& args, const std::string& cwd, int depth,
                 Budget& budget, std::vector<std::string>& out) {
  for (const auto& arg : args) {
    if (out.size() >= k_max_arguments) return false;
    if (arg.size() < 2 || arg[0] != '@') {
      out.push_back(arg);
      continue;
    }
    if (depth >= k_max_response_depth || ++budget.files > k_max_response_files) return false;
    std::filesystem::path path(arg.substr(1));
    if (path.is_relative()) path = std::filesystem::path(cwd) / path;
    // Sized before it is read: a response file may be a device or a huge file.
    std::error_code ec;
    auto size = std::filesystem::file_size(path, ec);
    if (ec || size > k_max_response_bytes - budget.bytes) return false;
    auto text = util::read_file(path);
    if (!text || text->size() > k_max_response_bytes - budget.bytes) return false;
    budget.bytes += text->size();
    if (!expand_into(split_response_file(*text), cwd, depth + 1, budget, out)) return false;
  }
  return true;
}

}  // namespace

std::vector<std::string> split_response_file(std::string_view text) {
  std::vector<std::string> out;
  std::string current;
  bool in_word = false;
  char quote = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '\\' && i + 1 < text.size()) {
      current.push_back(text[++i]);
      in_word = true;
    } else if (quote) {
      if (c == quote)
        quote = 0;
      else
        current.push_back(c);
    } else if (c == '"' || c == '\'') {
      quote = c;
      in_word = true;
    } else if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') {
      if (in_word) out.push_back(std::move(current));
      current.clear();
      in_word = false;
    } else {
      current.push_back(c);
      in_word = true;
    }
  }
  if (in_word) out.push_back(std::move(current));
  return out;
}

std::optional<std::vector<std::string>> expand_response_files(const std::vector<std::string>& args,
                                                              const std::string& cwd) {
  std::vector<std::string> out;
  Budget budget;
  if (!expand_into(args, cwd, 0, budget, out)) return std::nullopt;
  return out;
}

}  // namespace sccache::compiler
