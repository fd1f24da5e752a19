#pragma once
// Runs the compiler for a client's compile that the cache cannot answer (a miss, or a compile not
// cached) — never a preprocessor run or anything on the hit path.
//
// A client under GNU make (MAKEFLAGS with --jobserver-auth=R,W or fifo:PATH) already holds one of
// make's job slots: the compile it asked for is that job. So the compile runs at once, and the
// client's jobserver is reopened for the compiler (descriptors 3 and 4, MAKEFLAGS naming them) so
// that what the compiler does in parallel (gcc -flto=jobserver, -flto=auto) takes make's tokens as
// it would without the cache. Taking a further token for the compile itself would deadlock a full
// `make -jN`: every slot is held by a client waiting on the server. A jobserver that cannot be
// reopened (closed or invalid descriptors, a TCP client) counts as none, and its option is dropped
// from MAKEFLAGS. The descriptors are held for the compile's run alone.
//
// A client without a jobserver gets one of the server's own slots (CompileSlots) for the run.
#include <sys/types.h>

#include <asio/awaitable.hpp>

#include "exec/process_runner.hpp"

namespace sccache::server {

class Service;

asio::awaitable<util::Result<exec::ProcessResult>> run_compiler(Service& service, pid_t client_pid,
                                                                exec::ProcessSpec spec);

}  // namespace sccache::server
