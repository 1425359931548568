// maildir.cpp: the default transport. A mail is delivered by being written into the maildir
// `transport.sent_maildir` (relative paths from the config folder) under its outbox name, which
// derives from the Message-ID: writing it again replaces the same file, so delivery is idempotent
// and a dead runner's attempt can be checked. A person's mail client (or a test) reads the mails
// there; nothing leaves the machine. See docs/outbound.md "Transports".
#include <dirent.h>

#include "core/fs.h"
#include "transport/transports.h"

namespace vmt::transport::detail {

namespace {

class maildir_transport final : public transport {
 public:
  explicit maildir_transport(std::string dir) : dir_(std::move(dir)) {}
  const char* name() const override { return "maildir"; }

  delivery send(const job& j, std::string_view bytes) override {
    auto r = fs::maildir_deliver(dir_, j.name, bytes);
    if (!r) return {verdict::temporary, r.err().message(), true};
    return {verdict::sent, "delivered to " + *r, false};
  }

 private:
  std::string dir_;
};

// True when `name` is in maildir `dir`: new/NAME, cur/NAME or cur/NAME:2,FLAGS (a mail client
// that read it renamed it).
bool in_maildir(const std::string& dir, const std::string& name) {
  if (fs::exists(dir + "/new/" + name) || fs::exists(dir + "/cur/" + name)) return true;
  DIR* d = ::opendir((dir + "/cur").c_str());
  if (!d) return false;
  bool found = false;
  auto prefix = name + ":";
  while (auto* e = ::readdir(d))
    if (std::string_view(e->d_name).rfind(prefix, 0) == 0) {
      found = true;
      break;
    }
  ::closedir(d);
  return found;
}

}  // namespace

std::unique_ptr<transport> make_maildir_transport(const config::config& cfg) {
  return std::make_unique<maildir_transport>(cfg.path(cfg.transport.sent_maildir));
}

recovery recover_maildir(const config::config& cfg, const std::string& name) {
  auto dir = cfg.path(cfg.transport.sent_maildir);
  if (in_maildir(dir, name))
    return {recovery::action::settle, {verdict::sent, "found in " + dir + " after a restart", false}};
  return {recovery::action::resend, {}};
}

}  // namespace vmt::transport::detail
