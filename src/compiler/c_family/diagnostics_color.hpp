#pragma once
// Colour in replayed diagnostics. The server's compiler writes to a pipe, so left alone it never
// colours; a terminal would have had colours. So the server asks for them (the flag below) and
// stores the coloured stderr; the client strips the colour codes where the compiler itself would
// not have coloured (-fdiagnostics-color=never, or auto without a terminal). One entry serves
// builds in a terminal and in a log alike. Where asking would change the object (clang's
// -grecord-command-line) or draw a warning (clang on assembler), the stderr is stored plain.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "compiler/c_family/parsed_args.hpp"

namespace sccache::compiler::c_family {

// The option that makes this compile colour its diagnostics into a pipe; nullopt when its stderr
// is stored plain (the key says which: colour and plain entries differ). `version` is the
// compiler's __VERSION__: gcc before 4.9 has no such option (nor do compilers that only pose as
// gcc, whose __VERSION__ does not start with gcc's number).
std::optional<std::string_view> forced_color_flag(Family family, std::string_view version,
                                                  const ParsedArgs& args);

// `args` with `flag` inserted after the last colour option written on the command line (so it
// overrides none that comes later), or first when there is none.
std::vector<std::string> with_color_flag(const std::vector<std::string>& args,
                                         std::string_view flag);

}  // namespace sccache::compiler::c_family
