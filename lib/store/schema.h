// schema.h: the store's schema as an append-only list of migrations.
//
// Never edit a released step: add a new one at the end. The store records how many steps it has
// applied (meta.schema_version) and applies the rest on open.
#pragma once

#include <string>
#include <vector>

namespace vmt::store {

const std::vector<std::string>& migrations();

}  // namespace vmt::store
