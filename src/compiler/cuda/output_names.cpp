// nvcc 13.0's own names, as measured by running it (files listed afterwards):
//   nvcc -c sub/k.cu                     → k.o           (cwd, not sub/)
//   nvcc -ptx|-cubin|-fatbin sub/k.cu    → k.ptx | k.cubin | k.fatbin
//   nvcc -c sub/k.cu -odir out           → out/k.o;  with -o y.o as well → y.o (-odir ignored)
//   nvcc -c sub/k.cu -MD                 → k.d, rule "k.o : sub/k.cu"
//   nvcc -c sub/k.cu -MD -o a.b/y        → a.b/y.d, rule "a.b/y : …"
//   nvcc -ptx sub/k.cu -MD               → k.d, rule "k.o : …" (the .o, although it writes k.ptx)
//   nvcc -c sub/k.cu -MD -odir out -MT t → out/k.d, rule "out/t : …"
//   nvcc -c sub/k.cu -MD -odir out -o /abs/y.o → /abs/y.d, rule "out//abs/y.o : …"
//   nvcc -c sub/k.cu -MD -odir out/      → rule "out//k.o : …"
#include "compiler/cuda/output_names.hpp"

namespace sccache::compiler::cuda {

namespace {

std::string_view base_name(std::string_view path) {
  auto slash = path.rfind('/');
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

std::string stem_of(std::string_view input) {
  return replace_extension(base_name(input), "");
}

}  // namespace

std::string_view extension_of(Mode mode) {
  switch (mode) {
    case Mode::ptx:
      return ".ptx";
    case Mode::cubin:
      return ".cubin";
    case Mode::fatbin:
      return ".fatbin";
    default:  // compile, device_c
      return ".o";
  }
}

std::string replace_extension(std::string_view path, std::string_view extension) {
  auto slash = path.rfind('/');
  std::size_t name_start = slash == std::string_view::npos ? 0 : slash + 1;
  auto dot = path.rfind('.');
  // A leading dot (".hidden") names the file, it does not start an extension.
  if (dot == std::string_view::npos || dot <= name_start)
    return std::string(path) + std::string(extension);
  return std::string(path.substr(0, dot)) + std::string(extension);
}

std::string odir_prefix(const std::optional<std::string>& odir) {
  return odir ? *odir + "/" : std::string();
}

std::string default_output(std::string_view input, Mode mode,
                           const std::optional<std::string>& odir) {
  return odir_prefix(odir) + stem_of(input) + std::string(extension_of(mode));
}

std::string default_dep_file(std::string_view input, const std::optional<std::string>& output,
                             const std::optional<std::string>& odir) {
  if (output) return replace_extension(*output, ".d");
  return odir_prefix(odir) + stem_of(input) + ".d";
}

std::string dep_target(std::string_view input, const std::optional<std::string>& output,
                       const std::optional<std::string>& target,
                       const std::optional<std::string>& odir) {
  std::string name = target ? *target : output ? *output : stem_of(input) + ".o";
  return odir_prefix(odir) + name;
}

}  // namespace sccache::compiler::cuda
