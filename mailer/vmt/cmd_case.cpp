// cmd_case.cpp: the case verbs of vmt (placeholder until they land).
#include "cli.h"

namespace vmt::cli {

void register_case_commands(CLI::App& app, context& ctx) {}

}  // namespace vmt::cli
