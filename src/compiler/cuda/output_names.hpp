#pragma once
// The file names nvcc picks by itself: the output without -o, the dependency file without -MF,
// and the target of its dependency rule. All measured with nvcc 13.0 (see output_names.cpp).
#include <optional>
#include <string>
#include <string_view>

namespace sccache::compiler::cuda {

enum class Mode { compile, device_c, ptx, cubin, fatbin };

// The file extension nvcc gives `mode`'s output: ".o", ".ptx", ".cubin", ".fatbin".
std::string_view extension_of(Mode mode);

// `path` with the extension of its last component replaced by (or, without one, extended by)
// `extension`: "a.b/y" → "a.b/y.d", "y.cu.o" → "y.cu.d".
std::string replace_extension(std::string_view path, std::string_view extension);

// "<odir>/" when -odir is given (nvcc joins naively: "out/" gives "out//"), else "".
std::string odir_prefix(const std::optional<std::string>& odir);

// Where nvcc writes `mode`'s output for `input` without -o: the input's base name in the working
// directory (or -odir) with the mode's extension ("sub/k.cu" -ptx → "k.ptx").
std::string default_output(std::string_view input, Mode mode,
                           const std::optional<std::string>& odir);

// The dependency file of -MD/-MMD without -MF: -o with ".d", else the input's base name with
// ".d" in the working directory (or -odir).
std::string default_dep_file(std::string_view input, const std::optional<std::string>& output,
                             const std::optional<std::string>& odir);

// The target of the rule: the last -MT, else -o, else the input's base name with ".o" — ".o" even
// for -ptx/-cubin/-fatbin —, each prefixed with "<odir>/" when -odir is given (even an absolute
// -o).
std::string dep_target(std::string_view input, const std::optional<std::string>& output,
                       const std::optional<std::string>& target,
                       const std::optional<std::string>& odir);

}  // namespace sccache::compiler::cuda
