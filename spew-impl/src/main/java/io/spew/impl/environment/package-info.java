/**
 * Environment files ({@code spew.yaml}), the convergence of instances to their counts
 * ({@code spew start}), and the rolls of changed appliances over their instances (versions,
 * rollback, canaries, rolling restart).
 */
package io.spew.impl.environment;
