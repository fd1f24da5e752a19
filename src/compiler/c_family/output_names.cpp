// Checked against gcc 12.2 and clang 14.0 (Debian 12), both behave alike unless said otherwise:
// * -MD/-MMD without -MF: the dependency file is the -o path with the extension of its last
//   component replaced by ".d": out/y.o → out/y.d, out/y → out/y.d, out/y.c.o → out/y.c.d,
//   out.dir/y → out.dir/y.d, and even out/.hidden → out/.d. Without -o it is <input stem>.d in
//   the working directory (a/x.c → x.d), beside the object (x.o).
// * The rule's target is the -o value, make-quoted ("out/sp ace.o" → out/sp\ ace.o, "y$1#.o" →
//   y$$1\#.o), unless -MT/-MQ are given. -MT is verbatim; -MQ is make-quoted ($ → $$, # → \#,
//   blanks escaped and the backslashes before them doubled).
// * clang writes the targets in command-line order. gcc's driver passes all -MQ before all -MT to
//   cc1, whose writer then puts each -MT in the place of the first quoted target and moves that one
//   to the end: -MQ q1 -MT t1 -MQ q2 -MT t2 → "t1 t2 q1 q2"; -MQ q1 -MQ q2 -MQ q3 -MT t1 -MT t2 →
//   "t1 t2 q3 q1 q2".
// * -Wp,-MD,F / -Wp,-MMD,F (the Linux kernel's form) writes F; without -MT/-MQ gcc names the rule
//   after the input (a/x.c → x.o, whatever -o says), clang after the -o value.
#include "compiler/c_family/output_names.hpp"

#include <utility>

#include "compiler/c_family/dep_file.hpp"

namespace sccache::compiler::c_family {

std::string replace_extension(std::string_view path, std::string_view ext) {
  auto slash = path.rfind('/');
  std::size_t name_start = slash == std::string_view::npos ? 0 : slash + 1;
  auto dot = path.rfind('.');
  if (dot != std::string_view::npos && dot >= name_start) path = path.substr(0, dot);
  return std::string(path) + std::string(ext);
}

std::string default_object(std::string_view input) {
  auto slash = input.rfind('/');
  return replace_extension(slash == std::string_view::npos ? input : input.substr(slash + 1), ".o");
}

std::string default_assembly(std::string_view input) {
  return replace_extension(default_object(input), ".s");
}

std::string default_dep_file(std::string_view output) {
  return replace_extension(output, ".d");
}

std::vector<std::string> dep_targets_as_written(Family family,
                                                const std::vector<DepTargetArg>& targets) {
  std::vector<std::string> out;
  if (family == Family::clang) {
    for (const auto& t : targets) out.push_back(t.quoted ? make_quote(t.value) : t.value);
    return out;
  }
  std::size_t first_quoted = 0;
  for (bool quoted : {true, false}) {  // the order gcc's driver hands them on
    for (const auto& t : targets) {
      if (t.quoted != quoted) continue;
      std::string v = quoted ? make_quote(t.value) : t.value;
      if (!quoted) {
        if (first_quoted != out.size()) std::swap(v, out[first_quoted]);
        ++first_quoted;
      }
      out.push_back(std::move(v));
    }
  }
  return out;
}

std::vector<std::string> wp_default_dep_targets(Family family, std::string_view input) {
  if (family == Family::clang) return {};
  return {make_quote(default_object(input))};
}

}  // namespace sccache::compiler::c_family
