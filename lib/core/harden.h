// harden.h: process settings every vmt program applies first thing in main(), because the memory of
// vmt-ingest and vmt holds decrypted, embargoed report text and credentials.
#pragma once

namespace vmt::harden {

// No core dumps (RLIMIT_CORE 0, soft and hard) and not dumpable (PR_SET_DUMPABLE 0: no core even
// under a core_pattern pipe, no ptrace or /proc/PID/mem by other processes of the same user).
// Best effort: a failure is ignored (the calls only fail on kernels without them).
void no_core_dumps();

// umask 077, for programs that only ever create private files (vmt-ingest, vmt-send, `vmt init`):
// what they create without going through core/fs.h (the log file, files gpg writes in the GnuPG
// home, SQLite's -wal and -shm) is then private too, whatever umask the MTA or cron gave them.
void private_files();

}  // namespace vmt::harden
