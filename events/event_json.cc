#include "events/event_json.h"

#include <unordered_set>

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

std::vector<std::string> EventJson::EnvelopeFields() const {
  std::vector<std::string> names;
  if (!impl_->ok || impl_->parser.root_struct_def_ == nullptr) return names;
  for (const flatbuffers::FieldDef* f : impl_->parser.root_struct_def_->fields.vec) {
    if (f->deprecated) continue;
    if (f->value.type.base_type == flatbuffers::BASE_TYPE_UTYPE) continue;  // named with the union
    if (f->value.type.base_type == flatbuffers::BASE_TYPE_UNION) names.push_back(f->name + "_type");
    names.push_back(f->name);
  }
  return names;
}

std::vector<std::string> EventJson::PayloadFields() const {
  std::vector<std::string> names;
  if (!impl_->ok || impl_->parser.root_struct_def_ == nullptr) return names;
  std::unordered_set<std::string> seen;
  for (const flatbuffers::FieldDef* f : impl_->parser.root_struct_def_->fields.vec) {
    if (f->value.type.base_type != flatbuffers::BASE_TYPE_UNION) continue;
    for (const flatbuffers::EnumVal* v : f->value.type.enum_def->Vals()) {
      const flatbuffers::StructDef* event = v->union_type.struct_def;
      if (event == nullptr) continue;  // NONE
      for (const flatbuffers::FieldDef* ef : event->fields.vec) {
        if (!ef->deprecated && seen.insert(ef->name).second) names.push_back(ef->name);
      }
    }
  }
  return names;
}

}  // namespace crm
