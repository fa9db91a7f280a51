/** Environment files ({@code spew.yaml}) and the convergence of instances to their counts ({@code spew start}). */
package io.spew.impl.environment;
