// cmd_tracker.cpp: the tracker verbs of vmt (placeholder until they land).
#include "cli.h"

namespace vmt::cli {

void register_tracker_commands(CLI::App& app, context& ctx) {}

}  // namespace vmt::cli
