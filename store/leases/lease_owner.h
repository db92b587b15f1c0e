// Lease owner names: every holder of a store lease (and every outbox claimer) is named
// host:pid:tag:random, where tag identifies the boot and the PID namespace and the random part
// tells two holders of one process apart. The name lets a process recognise a lease left by a
// process of its own host and namespace that has exited (kill -9, OOM), which it may take over
// at once instead of waiting for the lease to expire. Used by Lease (store/leases/lease.h) and
// the outbox sender. Thread-safe.
#pragma once

#include <string>

namespace wxb {

// A new owner name: host:pid:tag:random.
std::string newLeaseOwner();

// True when `owner` names a process of this host and PID namespace that has exited.
bool isDeadLocalOwner(const std::string& owner);

}  // namespace wxb
