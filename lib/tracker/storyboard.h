// storyboard.h: the StoryBoard backend of the tracker interface (API v1, bearer token).
//
// StoryBoard has no information types, CVE links or attachments: a private story stands for
// Private Security, a CVE is named in a story comment (as the OSSA process says), and an
// attachment is posted as a comment (text inline, a binary file as a note). People and teams
// get access through the story's users and teams lists, which a PUT replaces: every change is a
// read-modify-write. See docs/trackers.md.
#pragma once

#include <memory>
#include <string>

#include "tracker/http.h"
#include "tracker/tracker.h"

namespace vmt::tracker {

// The StoryBoard tracker for `cfg.tracker` (kind storyboard), sending with `o`.
result<std::unique_ptr<tracker>> open_storyboard(const config::config& cfg, http::options o);

// OSSA task status in StoryBoard's words (Incomplete -> todo, Confirmed -> inprogress, ...) and back.
std::string storyboard_status(const std::string& launchpad_status);
std::string launchpad_status(const std::string& storyboard_status);

}  // namespace vmt::tracker
