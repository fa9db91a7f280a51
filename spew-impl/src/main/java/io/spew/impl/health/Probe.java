package io.spew.impl.health;

import java.util.concurrent.CompletableFuture;

/** One kind of check against one instance. Starting a probe never blocks; it completes by its timeout. */
@FunctionalInterface
interface Probe {
    /** Completes with null when the check passed, else with why it failed. */
    CompletableFuture<String> run();
}
