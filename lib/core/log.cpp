// log.cpp: logger setup (see log.h).
#include "core/log.h"

#include <spdlog/sinks/basic_file_sink.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/sinks/syslog_sink.h>
#include <syslog.h>

namespace vmt::log {

void init(const std::string& program, const settings& s) {
  std::shared_ptr<spdlog::logger> logger;
  try {
    if (s.sink == "syslog") {
      logger = std::make_shared<spdlog::logger>(
          program, std::make_shared<spdlog::sinks::syslog_sink_mt>(program, LOG_PID, LOG_MAIL, false));
      logger->set_pattern("%v");
    } else if (s.sink == "file" && !s.file.empty()) {
      logger = std::make_shared<spdlog::logger>(
          program, std::make_shared<spdlog::sinks::basic_file_sink_mt>(s.file));
      logger->set_pattern("%Y-%m-%dT%H:%M:%S%z " + program + "[%P] %l: %v");
    }
  } catch (const spdlog::spdlog_ex&) {
    logger.reset();
  }
  if (!logger) {
    logger = std::make_shared<spdlog::logger>(program,
                                              std::make_shared<spdlog::sinks::stderr_sink_mt>());
    logger->set_pattern(program + ": %l: %v");
  }
  logger->set_level(spdlog::level::from_str(s.level));
  logger->flush_on(spdlog::level::info);
  spdlog::set_default_logger(logger);
}

}  // namespace vmt::log
