// The collector's names for the snapshot model (model/snapshot.h): what each seed
// answered, the merged view, the registry, the summary and the derived node list.
// Thread-safety: immutable after publication, so safe to read from any thread.
#pragma once

#include "model/snapshot.h"

namespace pnode::collect {

using model::AddressMove;
using model::GossipChanges;
using model::MergedNode;
using model::NetworkSummary;
using model::Registry;
using model::RegistryEntry;
using model::SeedPoll;
using model::Snapshot;

}  // namespace pnode::collect
