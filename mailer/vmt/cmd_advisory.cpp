// cmd_advisory.cpp: the advisory verbs of vmt (placeholder until they land).
#include "cli.h"

namespace vmt::cli {

void register_advisory_commands(CLI::App& app, context& ctx) {}

}  // namespace vmt::cli
