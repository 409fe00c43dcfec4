// Hostile JSON request bodies straight into the Graph body parsers: the
// strict reader (api/json_body.h) and the wire parsers of users, groups and
// references (api/graph/wire.h), at the speed of a pure function. The
// admin API's and the other handlers' bodies go through the router in
// fuzz_api (api_fuzzer.cc), which calls these same parsers on the way.
//
// Input: a request body.
// Invariants beyond "no crash, no UB, no leak":
//   - every refusal is InvalidArgument (a 400), never anything else;
//   - a FieldReader that reads each key with its own type accepts the body;
//     one that misses a key, or reads one with the wrong type, refuses it
//     (nothing unknown or mistyped slips through).
#include <boost/json.hpp>

#include "api/graph/wire.h"
#include "wire/json_reader.h"
#include "fuzz_util.h"

namespace {

void ExpectInvalidOr(const gh::Status& s) {
  if (!s.ok()) GH_FUZZ_CHECK(s.code() == gh::Code::kInvalidArgument, s.ToString());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto obj = gh::wire::ParseJsonObject(gh::fuzz::AsText(data, size));
  if (!obj.ok()) {
    GH_FUZZ_CHECK(obj.status().code() == gh::Code::kInvalidArgument, obj.status().ToString());
    return 0;
  }
  ExpectInvalidOr(gh::api::graph::ParseNewUser(*obj).status());
  ExpectInvalidOr(gh::api::graph::ParseUserPatch(*obj).status());
  ExpectInvalidOr(gh::api::graph::ParseNewGroup(*obj).status());
  ExpectInvalidOr(gh::api::graph::ParseGroupPatch(*obj).status());
  ExpectInvalidOr(gh::api::graph::ParseReference(*obj).status());

  // A reader that takes each key with its own type accepts the body (keys
  // whose values no reader method reads are ignored).
  {
    gh::wire::FieldReader r(*obj, "microsoft.graph.fuzz");
    for (const auto& kv : *obj) {
      const boost::json::value& v = kv.value();
      if (v.is_string()) (void)r.String(kv.key());
      else if (v.is_bool()) (void)r.Bool(kv.key());
      else if (v.is_null()) (void)r.NullableString(kv.key());
      else if (v.is_object()) (void)r.Object(kv.key());
      else r.Ignore({kv.key()});
    }
    gh::Status s = r.Finish();
    GH_FUZZ_CHECK(s.ok(), s.ToString() + " for " + boost::json::serialize(*obj));
  }
  // A reader that misses one key refuses the body.
  if (!obj->empty()) {
    gh::wire::FieldReader r(*obj, "microsoft.graph.fuzz");
    bool first = true;
    for (const auto& kv : *obj) {
      if (!first) r.Ignore({kv.key()});
      first = false;
    }
    GH_FUZZ_CHECK(!r.Finish().ok(), "an unknown property was accepted: " + boost::json::serialize(*obj));
  }
  // A reader that takes a key with the wrong type refuses the body.
  if (!obj->empty()) {
    gh::wire::FieldReader r(*obj, "microsoft.graph.fuzz");
    const auto& kv = *obj->begin();
    if (kv.value().is_string()) (void)r.Bool(kv.key());
    else (void)r.String(kv.key());
    for (const auto& other : *obj) r.Ignore({other.key()});
    GH_FUZZ_CHECK(!r.Finish().ok(), "a mistyped property was accepted: " + boost::json::serialize(*obj));
  }
  return 0;
}
