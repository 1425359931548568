// cmd_outbox.cpp: the outbox verbs of vmt (placeholder until they land).
#include "cli.h"

namespace vmt::cli {

std::function<status()> outbox_flusher(context&) { return {}; }

void register_outbox_commands(CLI::App& app, context& ctx) {}

}  // namespace vmt::cli
