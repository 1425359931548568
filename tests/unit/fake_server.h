// fake_server.h: start one of the fake servers in tests/fakes/ (python3, 127.0.0.1, a free port)
// for a unit test, read its request log, inject faults, stop it at the end.
#pragma once

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "tracker/http.h"

namespace vmt::test {

class fake_server {
 public:
  // `script` is a file name in tests/fakes/; `args` go after --port-file.
  explicit fake_server(const std::string& script, std::vector<std::string> args = {}) {
    char d[] = "/tmp/vmt-fake-XXXXXX";
    dir_ = ::mkdtemp(d);
    const std::string port_file = dir_ + "/port";
    const std::string path = std::string(VMT_SOURCE_DIR) + "/tests/fakes/" + script;
    pid_ = ::fork();
    if (pid_ == 0) {
      std::vector<std::string> argv = {"python3", path, "--port-file", port_file};
      argv.insert(argv.end(), args.begin(), args.end());
      std::vector<char*> cargs;
      for (auto& a : argv) cargs.push_back(a.data());
      cargs.push_back(nullptr);
      ::execvp("python3", cargs.data());
      ::_exit(127);
    }
    for (int i = 0; i < 200 && !std::filesystem::exists(port_file); ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    std::ifstream in(port_file);
    if (!(in >> port_)) throw std::runtime_error("the fake server " + script + " did not start");
  }
  ~fake_server() {
    if (pid_ > 0) {
      ::kill(pid_, SIGTERM);
      ::waitpid(pid_, nullptr, 0);
    }
    std::filesystem::remove_all(dir_);
  }
  fake_server(const fake_server&) = delete;
  fake_server& operator=(const fake_server&) = delete;

  std::string base() const { return "http://127.0.0.1:" + std::to_string(port_); }

  // Every request the fake answered, in order.
  nlohmann::json log() {
    http::client c(http::options{});
    http::request r;
    r.url = base() + "/_log";
    auto got = c.send(r);
    if (!got || got->status != 200) throw std::runtime_error("cannot read the fake's log");
    return nlohmann::json::parse(got->body);
  }

  // The log as "METHOD /path [ws.op]" lines, from request `from` on.
  std::vector<std::string> trail(std::size_t from = 0) {
    std::vector<std::string> out;
    auto l = log();
    for (std::size_t i = from; i < l.size(); ++i) {
      const auto& e = l[i];
      std::string line = e["method"].get<std::string>() + " " + e["path"].get<std::string>();
      if (e.contains("op") && e["op"].is_string()) line += " " + e["op"].get<std::string>();
      out.push_back(line);
    }
    return out;
  }
  std::size_t count() { return log().size(); }

  void control(const nlohmann::json& j) {
    http::client c(http::options{});
    http::request r;
    r.method = "POST";
    r.url = base() + "/_control";
    r.body = j.dump();
    r.headers = {{"Content-Type", "application/json"}};
    auto got = c.send(r);
    if (!got || got->status != 204) throw std::runtime_error("cannot control the fake");
  }

 private:
  std::string dir_;
  pid_t pid_ = -1;
  int port_ = 0;
};

}  // namespace vmt::test
