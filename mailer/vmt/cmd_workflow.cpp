// cmd_workflow.cpp: the workflow verbs of vmt (placeholder until they land).
#include "cli.h"

namespace vmt::cli {

void register_workflow_commands(CLI::App& app, context& ctx) {}

}  // namespace vmt::cli
