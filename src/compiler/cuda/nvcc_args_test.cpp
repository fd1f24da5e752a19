// Every expectation here was checked against nvcc 13.0.88 on Debian 12 by running the command (in
// a directory holding sub/k.cu, k.cu and k.txt) and listing the files it wrote and the first line
// of its dependency file; the CMake lines are CMake 3.25's, from a generated build.ninja.
#include "compiler/cuda/nvcc_args.hpp"

#include <gtest/gtest.h>

#include <ostream>

#include "compiler/response_file.hpp"  // split_response_file: command lines as written

namespace sccache::compiler::cuda {
namespace {

using Strings = std::vector<std::string>;

Strings words(const std::string& line) {
  return split_response_file(line);
}

std::string describe(const ParseResult& r) {
  if (std::holds_alternative<NotCompilation>(r)) return "not a compile";
  if (auto* c = std::get_if<CannotCache>(&r)) return "cannot cache: " + c->reason;
  return "cacheable";
}

NvccArgs accepted(const std::string& line) {
  auto r = parse_nvcc_arguments(words(line));
  EXPECT_TRUE(std::holds_alternative<NvccArgs>(r)) << line << " → " << describe(r);
  auto* a = std::get_if<NvccArgs>(&r);
  return a ? *a : NvccArgs{};
}

const char* k_cmake_line =
    "-forward-unknown-to-host-compiler -O3 -DNDEBUG "
    "--generate-code=arch=compute_75,code=[compute_75,sm_75] -MD -MT "
    "CMakeFiles/kern2.dir/src/k.cu.o -MF CMakeFiles/kern2.dir/src/k.cu.o.d -x cu -c "
    "/tmp/cmk/src/k.cu -o CMakeFiles/kern2.dir/src/k.cu.o";

// ---- what a cacheable compile produces, and where ----
struct Outputs {
  std::string line;
  std::string output;
  std::string dep_file = "";    // "" = none
  std::string dep_target = "";  // "" = none
  Mode mode = Mode::compile;
};

std::ostream& operator<<(std::ostream& out, const Outputs& o) {
  return out << o.line;
}

class NvccNames : public ::testing::TestWithParam<Outputs> {};

TEST_P(NvccNames, AreNvccs) {
  const auto& p = GetParam();
  auto a = accepted(p.line);
  EXPECT_EQ(a.output, p.output);
  EXPECT_EQ(a.mode, p.mode);
  EXPECT_EQ(a.dep_file.value_or(""), p.dep_file);
  EXPECT_EQ(a.dep_targets, p.dep_target.empty() ? Strings{} : Strings{p.dep_target});
}

INSTANTIATE_TEST_SUITE_P(
    DefaultsPerMode, NvccNames,
    ::testing::Values(
        Outputs{"-c sub/k.cu", "k.o"}, Outputs{"-ptx sub/k.cu", "k.ptx", "", "", Mode::ptx},
        Outputs{"-cubin sub/k.cu", "k.cubin", "", "", Mode::cubin},
        Outputs{"-fatbin sub/k.cu", "k.fatbin", "", "", Mode::fatbin},
        Outputs{"-dc sub/k.cu", "k.o", "", "", Mode::device_c}, Outputs{"-dw sub/k.cu", "k.o"},
        Outputs{"--compile sub/k.cu", "k.o"}, Outputs{"-c sub/k.cu -odir out", "out/k.o"},
        Outputs{"-ptx sub/k.cu -odir out", "out/k.ptx", "", "", Mode::ptx},
        Outputs{"-c sub/k.cu -o y.o -odir out", "y.o"}, Outputs{"-c sub/k.cu -o y", "y"},
        Outputs{"-c k.cu -o=x.o", "x.o"}, Outputs{"-c k.cu --output-file=x.o", "x.o"},
        Outputs{"-c k.cu --output-file x.o", "x.o"}, Outputs{"-c k.cu -o a.o -o b.o", "b.o"},
        Outputs{"-c k.cu -Xcompiler -Wall -o x.o", "x.o"},  // a value may start with -
        Outputs{"-c -x cu k.txt", "k.o"}, Outputs{"-c k.txt -x cu", "k.o"},
        Outputs{"-c -lib k.cu", "k.o"}, Outputs{"-link -c k.cu", "k.o"}));

// nvcc ranks the modes, whatever their order.
INSTANTIATE_TEST_SUITE_P(
    RankedModes, NvccNames,
    ::testing::Values(Outputs{"-c -ptx k.cu", "k.ptx", "", "", Mode::ptx},
                      Outputs{"-fatbin -ptx k.cu", "k.ptx", "", "", Mode::ptx},
                      Outputs{"-ptx -fatbin k.cu", "k.ptx", "", "", Mode::ptx},
                      Outputs{"-cubin -fatbin k.cu", "k.cubin", "", "", Mode::cubin},
                      Outputs{"-c -cubin k.cu", "k.cubin", "", "", Mode::cubin},
                      Outputs{"-fatbin -dc k.cu", "k.fatbin", "", "", Mode::fatbin},
                      Outputs{"-dc -c k.cu -MD", "k.o", "k.d", "k.o", Mode::device_c}));

INSTANTIATE_TEST_SUITE_P(
    DependencyFiles, NvccNames,
    ::testing::Values(
        Outputs{k_cmake_line, "CMakeFiles/kern2.dir/src/k.cu.o",
                "CMakeFiles/kern2.dir/src/k.cu.o.d", "CMakeFiles/kern2.dir/src/k.cu.o"},
        Outputs{"-c sub/k.cu -MD", "k.o", "k.d", "k.o"},
        Outputs{"-c sub/k.cu -MD -o out/y.o", "out/y.o", "out/y.d", "out/y.o"},
        Outputs{"-c sub/k.cu -MD -o out/y", "out/y", "out/y.d", "out/y"},
        Outputs{"-c sub/k.cu -MD -o a.b/y", "a.b/y", "a.b/y.d", "a.b/y"},
        Outputs{"-c sub/k.cu -MD -o y.cu.o", "y.cu.o", "y.cu.d", "y.cu.o"},
        Outputs{"-c sub/k.cu -MD -odir out", "out/k.o", "out/k.d", "out/k.o"},
        Outputs{"-c sub/k.cu -MD -odir out/", "out//k.o", "out//k.d", "out//k.o"},
        Outputs{"-c sub/k.cu -MD -odir out -o /w/abs.o", "/w/abs.o", "/w/abs.d", "out//w/abs.o"},
        Outputs{"-c sub/k.cu -MD -odir out -MT tgt", "out/k.o", "out/k.d", "out/tgt"},
        Outputs{"-c sub/k.cu -MD -MF out/dep.d -odir out", "out/k.o", "out/dep.d", "out/k.o"},
        Outputs{"-c sub/k.cu -MD -MF out/dep.d -MT tgt -o a.b/y.o", "a.b/y.o", "out/dep.d", "tgt"},
        Outputs{"-c sub/k.cu -MMD -MF x.d", "k.o", "x.d", "k.o"},
        Outputs{"-c sub/k.cu -MD -MT foo -MT bar", "k.o", "k.d", "bar"},
        Outputs{"-c sub/k.cu -MD -MF d1.d -MF=d2.d", "k.o", "d2.d", "k.o"},
        Outputs{"-c sub/k.cu -MD -o a.o -o b.o", "b.o", "b.d", "b.o"},
        Outputs{"-c sub/k.cu -MD -odir out -odir sub", "sub/k.o", "sub/k.d", "sub/k.o"},
        Outputs{"-c sub/k.cu -MD -MP -MT 'a b'", "k.o", "k.d", "a b"},
        Outputs{"-ptx sub/k.cu -MD", "k.ptx", "k.d", "k.o", Mode::ptx},  // the .o, not the .ptx
        Outputs{"-ptx sub/k.cu -MD -o x.ptx", "x.ptx", "x.d", "x.ptx", Mode::ptx},
        Outputs{"-ptx sub/k.cu -MD -odir out", "out/k.ptx", "out/k.d", "out/k.o", Mode::ptx},
        Outputs{"-cubin sub/k.cu -MD -o out/z.cubin", "out/z.cubin", "out/z.d", "out/z.cubin",
                Mode::cubin},
        Outputs{"--compile sub/k.cu --generate-dependencies-with-compile --dependency-output=x.d "
                "--dependency-target-name=T --generate-dependency-targets",
                "k.o", "x.d", "T"},
        Outputs{"--compile sub/k.cu --generate-nonsystem-dependencies-with-compile "
                "--dependency-output x.d --dependency-target-name T",
                "k.o", "x.d", "T"},
        Outputs{"-c sub/k.cu -MF=/dev/null -MD", "k.o"},  // nothing to store
        Outputs{"-c sub/k.cu -MF x.d -MT t", "k.o"}));    // no -MD: nvcc fails, nothing written

// ---- the argument lists ----
TEST(NvccArgs, CmakeLineSplitsIntoHashedAndDryrunArguments) {
  auto a = accepted(k_cmake_line);
  EXPECT_EQ(a.input, "/tmp/cmk/src/k.cu");
  EXPECT_TRUE(a.language_from_x);
  EXPECT_FALSE(a.relocatable);
  EXPECT_EQ(a.gpu_code, Strings{"-gencode=arch=compute_75,code=[compute_75,sm_75]"});
  EXPECT_EQ(a.hashed_args, (Strings{"-forward-unknown-to-host-compiler", "-O3", "-DNDEBUG",
                                    "--generate-code=arch=compute_75,code=[compute_75,sm_75]",
                                    "-MD", "-x", "cu", "-c"}));
  EXPECT_EQ(a.dryrun_args,
            (Strings{"-forward-unknown-to-host-compiler", "-O3", "-DNDEBUG",
                     "--generate-code=arch=compute_75,code=[compute_75,sm_75]", "-x", "cu", "-c",
                     "/tmp/cmk/src/k.cu", "-o", "CMakeFiles/kern2.dir/src/k.cu.o"}));
}

TEST(NvccArgs, ValuesInEveryFormAreRecordedAndKept) {
  auto a = accepted(
      "-c k.cu -I /inc -I/inc2 -I=/inc3 -D X -isystem /sys -include pre.h -std c++17 -O 3 "
      "-ccbin /usr/bin/g++-12 -Xptxas -v -arch compute_80 -code=sm_80,compute_80 "
      "--generate-code arch=compute_90,code=sm_90 -t 2 -odir out -MD -MP -MF k.d");
  EXPECT_EQ(a.input, "k.cu");
  EXPECT_EQ(a.output, "out/k.o");
  EXPECT_EQ(a.host_compiler, "/usr/bin/g++-12");
  EXPECT_EQ(a.threads, 2);
  EXPECT_EQ(a.gpu_code, (Strings{"-arch=compute_80", "-code=sm_80,compute_80",
                                 "-gencode=arch=compute_90,code=sm_90"}));
  Strings options = {"-I",
                     "/inc",
                     "-I/inc2",
                     "-I=/inc3",
                     "-D",
                     "X",
                     "-isystem",
                     "/sys",
                     "-include",
                     "pre.h",
                     "-std",
                     "c++17",
                     "-O",
                     "3",
                     "-ccbin",
                     "/usr/bin/g++-12",
                     "-Xptxas",
                     "-v",
                     "-arch",
                     "compute_80",
                     "-code=sm_80,compute_80",
                     "--generate-code",
                     "arch=compute_90,code=sm_90"};
  Strings hashed = {"-c"};
  hashed.insert(hashed.end(), options.begin(), options.end());
  hashed.insert(hashed.end(), {"-MD", "-MP"});
  EXPECT_EQ(a.hashed_args, hashed);  // no input, -t 2, -odir out, -MF k.d
  Strings dryrun = {"-c", "k.cu"};
  dryrun.insert(dryrun.end(), options.begin(), options.end());
  dryrun.insert(dryrun.end(), {"-odir", "out"});
  EXPECT_EQ(a.dryrun_args, dryrun);  // no -t 2, -MD, -MP, -MF k.d
}

TEST(NvccArgs, ThreadsInEveryFormStayOutOfBothLists) {
  for (const char* line : {"-c k.cu -t2", "-c k.cu -t=2", "-c k.cu --threads 2",
                           "-c k.cu --threads=2", "-c k.cu -t 2"}) {
    auto a = accepted(line);
    EXPECT_EQ(a.threads, 2) << line;
    EXPECT_EQ(a.hashed_args, Strings{"-c"}) << line;
    EXPECT_EQ(a.dryrun_args, (Strings{"-c", "k.cu"})) << line;
  }
  EXPECT_EQ(accepted("-c k.cu -t 0").threads, 0);  // one per CPU
  EXPECT_EQ(accepted("-c k.cu").threads, std::nullopt);
}

TEST(NvccArgs, TheModeReachesTheKey) {
  EXPECT_NE(accepted("-c k.cu").hashed_args, accepted("-ptx k.cu").hashed_args);
  EXPECT_NE(accepted("-c k.cu").hashed_args, accepted("-c -rdc=true k.cu").hashed_args);
}

struct Relocation {
  std::string line;
  bool relocatable;
};

std::ostream& operator<<(std::ostream& out, const Relocation& r) {
  return out << r.line;
}

class NvccRelocatable : public ::testing::TestWithParam<Relocation> {};

TEST_P(NvccRelocatable, AsNvccDecides) {
  EXPECT_EQ(accepted(GetParam().line).relocatable, GetParam().relocatable);
}

INSTANTIATE_TEST_SUITE_P(
    RdcDcDw, NvccRelocatable,
    ::testing::Values(Relocation{"-c k.cu", false}, Relocation{"-dc k.cu", true},
                      Relocation{"-c -rdc=true k.cu", true}, Relocation{"-c -rdc true k.cu", true},
                      Relocation{"-c --relocatable-device-code=true k.cu", true},
                      Relocation{"-dc k.cu -rdc=false", true},
                      Relocation{"-rdc=false -dc k.cu", true}, Relocation{"-dc -dw k.cu", true},
                      Relocation{"-dw -dc k.cu", true}, Relocation{"-rdc=true -dw k.cu", false},
                      Relocation{"-c -rdc=true -rdc=false k.cu", false},
                      Relocation{"-c -rdc=false -rdc=true k.cu", true}));

struct Debug {
  std::string line;
  bool debug_info;
};

std::ostream& operator<<(std::ostream& out, const Debug& d) {
  return out << d.line;
}

class NvccDebugInfo : public ::testing::TestWithParam<Debug> {};

TEST_P(NvccDebugInfo, IsNoticed) {
  EXPECT_EQ(accepted(GetParam().line).debug_info, GetParam().debug_info);
}

INSTANTIATE_TEST_SUITE_P(
    Options, NvccDebugInfo,
    ::testing::Values(Debug{"-c k.cu", false}, Debug{"-c k.cu -g", true},
                      Debug{"-c k.cu --debug", true}, Debug{"-c k.cu -G", true},
                      Debug{"-c k.cu --device-debug", true}, Debug{"-c k.cu -lineinfo", true},
                      Debug{"-c k.cu --generate-line-info", true},
                      Debug{"-c k.cu -Xcompiler -fPIC,-g3", true},
                      Debug{"-c k.cu -forward-unknown-to-host-compiler -ggdb", true},
                      Debug{"-c k.cu -Xcompiler -g0", false}));

// ---- not a compile, or not cacheable: the reason is the stats key ----
struct Refusal {
  std::string line;
  std::string reason;  // "" = NotCompilation
};

std::ostream& operator<<(std::ostream& out, const Refusal& r) {
  return out << r.line;
}

class NvccRefused : public ::testing::TestWithParam<Refusal> {};

TEST_P(NvccRefused, HasTheExpectedReason) {
  const auto& p = GetParam();
  auto r = parse_nvcc_arguments(words(p.line));
  if (p.reason.empty()) {
    EXPECT_TRUE(std::holds_alternative<NotCompilation>(r)) << p.line << " → " << describe(r);
  } else {
    auto* c = std::get_if<CannotCache>(&r);
    ASSERT_NE(c, nullptr) << p.line << " → " << describe(r);
    EXPECT_EQ(c->reason, p.reason) << p.line;
  }
}

INSTANTIATE_TEST_SUITE_P(
    NotCompilations, NvccRefused,
    ::testing::Values(Refusal{"", ""}, Refusal{"k.cu -o a.out", ""},
                      Refusal{"-arch=sm_80 k.cu -o app", ""}, Refusal{"a.o b.o -o prog", ""},
                      Refusal{"-lib k.cu", ""}, Refusal{"--version", ""}, Refusal{"-V -c k.cu", ""},
                      Refusal{"-c k.cu --version", ""}, Refusal{"-c k.cu -h", ""},
                      Refusal{"--help", ""}, Refusal{"-c -run k.cu", ""},
                      Refusal{"--list-gpu-arch", ""}, Refusal{"-arch-ls", ""}));

INSTANTIATE_TEST_SUITE_P(
    Modes, NvccRefused,
    ::testing::Values(Refusal{"-E k.cu", "-E"}, Refusal{"-c -E k.cu", "-E"},
                      Refusal{"--preprocess k.cu", "-E"}, Refusal{"-c k.cu -M", "-M"},
                      Refusal{"-M k.cu -MT k.o -o k.d", "-M"},  // CMake's Makefile depends step
                      Refusal{"--generate-nonsystem-dependencies k.cu", "-MM"}));

INSTANTIATE_TEST_SUITE_P(
    TooHard, NvccRefused,
    ::testing::Values(
        Refusal{"-dlink a.o b.o -o dl.o", "-dlink"}, Refusal{"-c -dlink k.cu", "-dlink"},
        Refusal{"-c k.cu -time t.csv", "-time"}, Refusal{"-c k.cu --time=-", "-time"},
        Refusal{"-c k.cu -fdevice-time-trace x.json", "-fdevice-time-trace"},
        Refusal{"-c k.cu -keep", "-keep"}, Refusal{"-c k.cu --keep-dir d", "-keep"},
        Refusal{"-c k.cu -save-temps", "-keep"}, Refusal{"-optf opts.txt", "--options-file"},
        Refusal{"-c k.cu --options-file=opts.txt", "--options-file"},
        Refusal{"-c k.cu -dryrun", "-dryrun"}, Refusal{"-c k.cu -clean", "-clean"},
        Refusal{"-cuda k.cu", "-cuda"}, Refusal{"-optix-ir k.cu", "-optix-ir"},
        Refusal{"-ltoir -dlto k.cu", "-ltoir"}, Refusal{"-c k.cu -Xcompiler -MD", "-Xcompiler -M*"},
        Refusal{"-c k.cu -Xcompiler=-fPIC,-MMD", "-Xcompiler -M*"},
        Refusal{"-c k.cu -Xcompiler=-include-pch,p.pch", "PCH"},
        Refusal{"-c k.cu -Xcompiler -include,pre.h.gch", "PCH"}));

INSTANTIATE_TEST_SUITE_P(
    Shape, NvccRefused,
    ::testing::Values(Refusal{"-c", "no input file"}, Refusal{"-c -x cu", "no input file"},
                      Refusal{"-c k.cu k2.cu", "multiple input files"},
                      Refusal{"-c k.cu k.cu", "multiple input files"},  // nvcc: one compile
                      Refusal{"-c k.cpp", "non-CUDA input"}, Refusal{"-c K.CU", "non-CUDA input"},
                      Refusal{"-c k.cup", "non-CUDA input"},
                      Refusal{"-c -x c++ k.cu", "non-CUDA input"},
                      Refusal{"-c -x cu k.txt -x c++", "non-CUDA input"},  // the last -x counts
                      Refusal{"-c k.cu -o", "missing option value"},
                      Refusal{"-c k.cu -Xcompiler", "missing option value"},
                      Refusal{"-c k.cu -o /dev/null", "output to /dev/null"},
                      Refusal{"-c k.cu -o -", "output to stdout"},
                      Refusal{"-c k.cu -o ''", "empty output name"},
                      Refusal{"-c -x cu ''", "no input file"}, Refusal{"-c -x cu -", "-"}));

}  // namespace
}  // namespace sccache::compiler::cuda
