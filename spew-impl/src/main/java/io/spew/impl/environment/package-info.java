/**
 * Environment files ({@code spew.yaml}), the convergence of instances to their counts
 * ({@code spew start}), and the rolls of changed appliances over their instances (versions,
 * rollback, canaries, rolling restart); in a cluster, environments kept in the replicated state,
 * placed by the leader and converged by each host for its share.
 */
package io.spew.impl.environment;
