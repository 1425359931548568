// gpg_fixture.h: throwaway GnuPG homes with real keys for the crypto, message and intake unit tests.
//
// Keys are made at test time (ed25519 + cv25519, no passphrase) in a temporary folder; the agent of
// every home is stopped and the folder removed at the end.
#pragma once

#include <stdlib.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <ostream>
#include <sstream>
#include <stdexcept>
#include <string>

#include "crypto/keys.h"
#include "crypto/openpgp.h"

namespace vmt {
// Boost.Test prints failure classes by name.
inline std::ostream& operator<<(std::ostream& os, failure f) {
  return os << failure_name(f);
}
}  // namespace vmt

namespace vmt::testing {

struct temp_dir {
  std::string path;
  temp_dir() {
    char tmpl[] = "/tmp/vmt-test-XXXXXX";
    if (!::mkdtemp(tmpl)) throw std::runtime_error("mkdtemp");
    path = tmpl;
  }
  // The error_code form: an agent may still be removing its sockets; a destructor must not throw.
  ~temp_dir() {
    std::error_code ec;
    std::filesystem::remove_all(path, ec);
  }
  std::string operator/(const std::string& name) const { return path + "/" + name; }
};

// A GnuPG home holding one generated key.
struct gpg_home {
  std::string home;
  std::string fpr;
  std::string email;
  gpg_home(const temp_dir& t, const std::string& name, const std::string& mail)
      : home(t / name), email(mail) {
    auto r = crypto::generate_key(home, name, mail, 30);
    if (!r) throw std::runtime_error("generate_key: " + r.err().message());
    fpr = *r;
  }
  ~gpg_home() { crypto::stop_agent(home); }
  // Import another home's public key (and optionally secret key) through the gpg command line.
  void import_from(const gpg_home& other, bool secret = false) const {
    std::string cmd = "gpg --homedir '" + other.home + "' --batch --pinentry-mode loopback --passphrase '' " +
                      (secret ? "--export-secret-keys " : "--export ") + other.fpr + " | gpg --homedir '" +
                      home + "' --batch --import 2>/dev/null";
    if (std::system(cmd.c_str()) != 0) throw std::runtime_error("import failed");
  }
  // Certify `other`'s key with this home's key (the team vouches for a reporter).
  void certify(const gpg_home& other) const {
    std::string cmd = "gpg --homedir '" + home + "' --batch --yes --pinentry-mode loopback --passphrase '' " +
                      "--quick-lsign-key " + other.fpr + " >/dev/null 2>&1";
    if (std::system(cmd.c_str()) != 0) throw std::runtime_error("lsign failed");
  }
  // Run gpg in this home on `input`, returning stdout (for crafting test messages).
  std::string gpg(const std::string& args, const std::string& input) const {
    temp_dir t;
    {
      std::ofstream f(t / "in", std::ios::binary);
      f << input;
    }
    std::string cmd = "gpg --homedir '" + home + "' --batch --yes --pinentry-mode loopback --passphrase '' " +
                      args + " -o '" + (t / "out") + "' '" + (t / "in") + "' 2>/dev/null";
    if (std::system(cmd.c_str()) != 0) throw std::runtime_error("gpg " + args + " failed");
    std::ifstream f(t / "out", std::ios::binary);
    std::stringstream ss;
    ss << f.rdbuf();
    return ss.str();
  }
};

inline std::string read_all(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

}  // namespace vmt::testing
