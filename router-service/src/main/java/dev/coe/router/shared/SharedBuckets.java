package dev.coe.router.shared;

import io.github.bucket4j.distributed.proxy.AsyncProxyManager;

import java.util.Optional;

/** Token buckets shared by all replicas (in Redis), for limits that must hold across them; none without Redis. */
@FunctionalInterface
public interface SharedBuckets {

    /** No shared buckets: each replica keeps its own. */
    SharedBuckets NONE = Optional::empty;

    Optional<AsyncProxyManager<String>> store();
}
