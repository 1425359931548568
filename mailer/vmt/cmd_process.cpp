// cmd_process.cpp: the process verbs of vmt (placeholder until they land).
#include "cli.h"

namespace vmt::cli {

void register_process_commands(CLI::App& app, context& ctx) {}

}  // namespace vmt::cli
