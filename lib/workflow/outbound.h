// outbound.h: the disclosure gate: the one way the workflow sends mail about a case.
//
// Rule of lesser disclosure, enforced here and nowhere else: embargoed detail goes only to the
// case's approved recipients (store `access`: reporter, coordinators, the project's security
// team, the stakeholders and linux-distros once notified, people subscribed on request); to each
// of them encrypted whenever they are meant to receive encrypted mail, and never unencrypted to a
// recipient who has a key on record as required. Announcements of a still-private case are
// refused: they are staged for the disclosure hour and composed then (vmt publish --at). Every mail is signed; every mail sent is recorded in the ledger
// with its recipients, the keys it was encrypted to and its Message-ID.
#pragma once

#include <string>
#include <vector>

#include "config/config.h"
#include "crypto/compose.h"
#include "store/store.h"

namespace vmt::workflow {

class session;

struct mail_request {
  std::string kind;                     // pre-ossa, vs, announce, reminder, ...
  std::vector<config::recipient> to;    // one mail to all of them
  std::string subject;
  std::string body;
  std::vector<crypto::file_part> attachments;
  bool embargoed = false;               // carries embargoed detail
  std::string in_reply_to;
  std::string auto_submitted;           // RFC 3834: set for mail no person sends (reminders, notices)
  bool hide_subject = false;            // when encrypted, "..." as the outer Subject
};

struct sent_mail {
  std::string message_id;
  std::vector<std::string> recipients;
  std::vector<std::string> keys;  // encrypted to
  bool fresh = true;              // false: the same mail was already queued (a re-run)
};

result<sent_mail> send(session& s, const store::case_record& c, const mail_request& m);

}  // namespace vmt::workflow
