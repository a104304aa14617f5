// Text from outside made safe to echo in one line of an error message, a terminal or a log.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace crm {

// Input echoed in a message: in single quotes, control characters escaped (\n, \x1b, ...), and
// shortened past 40 bytes of text ('abc...' (100000 bytes)). Messages quote what they were given
// through this, so an error stays one short line that cannot steer the terminal.
std::string Quote(std::string_view input);

// A message made safe for one line of a terminal or a log: control characters (C0, DEL and
// UTF-8's C1) escaped, and cut at `max_bytes` (on a character boundary) with the count of the
// rest. The last guard for whatever reaches stderr or the access log.
std::string OneLine(std::string_view text, size_t max_bytes = 600);

}  // namespace crm
