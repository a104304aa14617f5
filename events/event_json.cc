#include "events/event_json.h"

#include <flatbuffers/idl.h>

namespace crm {

struct EventJson::Impl {
  flatbuffers::Parser parser;
  bool ok = false;
};

EventJson::EventJson() : impl_(std::make_unique<Impl>()) {
  impl_->parser.opts.strict_json = true;
  impl_->parser.opts.indent_step = -1;  // one line
  impl_->parser.opts.output_default_scalars_in_json = true;
  const std::string schema(EventSchemaText());
  impl_->ok = impl_->parser.Parse(schema.c_str());
}

EventJson::~EventJson() = default;

Result<std::string> EventJson::ToJson(std::string_view record) const {
  if (!impl_->ok) return Status::Internal("compiled-in schema does not parse: " + impl_->parser.error_);
  std::string json;
  if (!flatbuffers::GenerateText(impl_->parser, record.data(), &json)) {
    return Status::Corruption("record cannot be rendered as JSON");
  }
  return json;
}

}  // namespace crm
