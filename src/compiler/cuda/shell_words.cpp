// nvcc runs each dryrun step through the shell (the steps quote with "…", refer to "$CICC_PATH",
// and, with --threads, redirect to files), so a step's argv is what sh would make of the line.
#include "compiler/cuda/shell_words.hpp"

namespace sccache::compiler::cuda {

namespace {

bool is_blank(char c) {
  return c == ' ' || c == '\t' || c == '\n';
}
bool is_name_start(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
}
bool is_name_char(char c) {
  return is_name_start(c) || (c >= '0' && c <= '9');
}

enum class Target { argv, out, err };

class Lexer {
 public:
  Lexer(std::string_view line, const VariableLookup& lookup) : m_line(line), m_lookup(lookup) {}

  util::Result<ShellCommand> run() {
    while (m_pos < m_line.size() && !m_error) step(m_line[m_pos++]);
    if (!m_error && m_quote_open) fail("unterminated quote");
    finish_word();
    if (!m_error && m_pending != Target::argv) fail("redirection without a file");
    if (m_error) return tl::make_unexpected(*m_error);
    return std::move(m_command);
  }

 private:
  void step(char c) {
    if (is_blank(c)) return finish_word();
    switch (c) {
      case '\'':
        return single_quoted();
      case '"':
        return double_quoted();
      case '\\':
        return escaped();
      case '$':
        return expand(false);
      case '>':
        return redirect();
      case '|':
      case '&':
      case ';':
      case '<':
      case '(':
      case ')':
      case '`':
        return fail(std::string("shell syntax '") + c + "'");
      default:
        append(c);
    }
  }

  void single_quoted() {
    start_quoted_word();
    auto end = m_line.find('\'', m_pos);
    if (end == std::string_view::npos) return fail("unterminated quote");
    append(m_line.substr(m_pos, end - m_pos));
    m_pos = end + 1;
  }

  void double_quoted() {
    start_quoted_word();
    m_quote_open = true;
    while (m_pos < m_line.size() && !m_error) {
      char c = m_line[m_pos++];
      if (c == '"') {
        m_quote_open = false;
        return;
      }
      if (c == '\\' && m_pos < m_line.size() &&
          std::string_view("$`\"\\\n").find(m_line[m_pos]) != std::string_view::npos) {
        char next = m_line[m_pos++];
        if (next != '\n') append(next);  // backslash-newline: a continuation
      } else if (c == '$') {
        expand(true);
      } else if (c == '`') {
        fail("shell syntax '`'");
      } else {
        append(c);
      }
    }
  }

  void escaped() {
    if (m_pos >= m_line.size()) return append('\\');
    char next = m_line[m_pos++];
    if (next == '\n') return;  // a continuation
    start_quoted_word();
    append(next);
  }

  // After a '$': ${NAME} or $NAME; a lone '$' is itself; $(…), $1, $? and the like we do not run.
  void expand(bool quoted) {
    std::string_view name;
    if (m_pos < m_line.size() && m_line[m_pos] == '{') {
      auto end = m_line.find('}', m_pos);
      if (end == std::string_view::npos) return fail("unterminated ${");
      name = m_line.substr(m_pos + 1, end - m_pos - 1);
      if (name.empty() || !is_name_start(name[0])) return fail("unsupported ${…}");
      for (char c : name) {
        if (!is_name_char(c)) return fail("unsupported ${…}");
      }
      m_pos = end + 1;
    } else if (m_pos < m_line.size() && is_name_start(m_line[m_pos])) {
      std::size_t start = m_pos;
      while (m_pos < m_line.size() && is_name_char(m_line[m_pos])) ++m_pos;
      name = m_line.substr(start, m_pos - start);
    } else if (m_pos < m_line.size() &&
               std::string_view("0123456789?$!#@*-(").find(m_line[m_pos]) !=
                   std::string_view::npos) {
      return fail("unsupported $ expansion");
    } else {
      return append('$');
    }
    std::string value = m_lookup ? m_lookup(name).value_or("") : "";
    if (quoted) return append(value);
    for (char c : value) {  // unquoted: split into words at blanks
      if (is_blank(c)) {
        finish_word();
      } else {
        append(c);
        m_plain = false;
      }
    }
  }

  // A '>': the word before it, when unquoted digits, is the descriptor ("2>"); we know 1 and 2.
  void redirect() {
    Target target = Target::out;
    bool digits =
        m_in_word && m_plain && m_word.find_first_not_of("0123456789") == std::string::npos;
    if (digits) {
      if (m_word != "1" && m_word != "2") return fail("redirection of descriptor " + m_word);
      target = m_word == "2" ? Target::err : Target::out;
      m_word.clear();
      m_in_word = false;
    } else {
      finish_word();
    }
    if (m_pending != Target::argv) return fail("redirection without a file");
    if (m_pos < m_line.size() && m_line[m_pos] == '>' && target == Target::out) ++m_pos;  // >>
    m_pending = target;
  }

  void start_quoted_word() {
    m_in_word = true;
    m_plain = false;
  }

  void append(char c) {
    if (!m_in_word) m_plain = true;
    m_in_word = true;
    m_word.push_back(c);
    if (++m_bytes > k_max_command_bytes) fail(util::ErrorCode::too_large, "command too long");
  }

  void append(std::string_view text) {
    for (char c : text) append(c);
  }

  void finish_word() {
    if (!m_in_word) return;
    switch (m_pending) {
      case Target::argv:
        m_command.argv.push_back(std::move(m_word));
        break;
      case Target::out:
        m_command.stdout_path = std::move(m_word);
        break;
      case Target::err:
        m_command.stderr_path = std::move(m_word);
    }
    m_pending = Target::argv;
    m_word.clear();
    m_in_word = false;
  }

  void fail(std::string message) { fail(util::ErrorCode::corrupt, std::move(message)); }
  void fail(util::ErrorCode code, std::string message) {
    if (!m_error) m_error = util::Error{code, std::move(message)};
    m_pos = m_line.size();
  }

  std::string_view m_line;
  const VariableLookup& m_lookup;
  std::size_t m_pos = 0;
  std::size_t m_bytes = 0;
  ShellCommand m_command;
  std::string m_word;
  bool m_in_word = false;
  bool m_plain = false;  // the word so far is unquoted literal text (so "2>" is a redirection)
  bool m_quote_open = false;
  Target m_pending = Target::argv;
  std::optional<util::Error> m_error;
};

}  // namespace

util::Result<ShellCommand> split_shell_command(std::string_view line,
                                               const VariableLookup& lookup) {
  return Lexer(line, lookup).run();
}

bool ends_inside_quotes(std::string_view text) {
  char quote = 0;  // the open quote, if any
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (quote == '\'') {
      if (c == '\'') quote = 0;  // nothing escapes inside '…'
    } else if (c == '\\') {
      ++i;  // escapes the next character, unquoted or in "…"
    } else if (c == '"') {
      quote = quote == '"' ? 0 : '"';
    } else if (c == '\'' && quote == 0) {
      quote = '\'';
    }
  }
  return quote != 0;
}

}  // namespace sccache::compiler::cuda
